// wss-blast: ws-blast (../shared/bench/ws-blast.c) over TLS. Measures a TLS-terminating
// WebSocket-to-TCP proxy (wss://) or a TLS-terminating TCP proxy (haproxy in TCP mode) whose
// target is `tcp-sink-source.mjs --mux`; the first 16 bytes a connection sends choose the mode.
//
//   wss-blast HOST PORT down|up MIB [CONNS]
//     down: WebSocket upgrade (Sec-WebSocket-Protocol: binary), asks the target for MIB MiB
//           ('SRC ') in a masked binary frame and reads them as frames.
//     up:   sends 'SNK ' then MIB MiB in masked 64 KiB frames (mask key 0: legal and cheap) and
//           waits for the target's 'ACK '.
//   wss-blast HOST PORT tlsdown|tlsup MIB [CONNS]
//     the same over raw TLS, no WebSocket (haproxy in TCP mode terminating TLS).
//     CONNS: parallel connections (default 1), each moving MIB MiB.
//     Prints "<mode> <conns> <MB/s aggregate> <seconds>" (MB = 10^6 bytes; mode down, up, tlsdown
//     or tlsup), like ws-blast.
//   wss-blast HOST PORT handshakes SECONDS [CONC] [ws|tls]
//     full TLS handshakes for SECONDS with CONC threads (default 8), each connecting again as
//     soon as it is done: no session cache, no tickets, no resumption. ws (default): after the TLS
//     handshake also the WebSocket upgrade up to the 101; tls: the TLS handshake only. Then
//     close_notify and close. Latency is from connect() to the handshake's (or the 101's) end.
//     Prints "handshakes <n> seconds <s> rate <per second> p50_ms <x> p99_ms <y> errors <e>".
//
// No certificate verification (the benchmark's certificates are self-signed). TLS 1.2 or 1.3, the
// highest the server offers; WSS_TLS=1.2 caps it at 1.2. The first connection prints the
// negotiated protocol, cipher, key exchange group and the server's key on stderr.
// Every socket has a send/receive timeout (30 s; 5 s in handshakes mode): a stuck proxy is an
// error, not a hang.
// Build: gcc -O2 -o wss-blast wss-blast.c -lssl -lcrypto -lpthread
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

enum { DOWN, UP, TLSDOWN, TLSUP, HANDSHAKES };
static const char *host, *port, *modename;
static int mode, hs_ws = 1, io_timeout_s = 30;
static uint64_t bytes;
static double hs_seconds;
static SSL_CTX *ctx;
static struct sockaddr_storage addr;
static socklen_t addrlen;
static int sni; // host is a name, not an address literal
static atomic_int printed;

#define FRAME (64 * 1024)
#define BUF (1 << 20)

static void die(const char *m) {
  if (errno) perror(m); else fprintf(stderr, "%s\n", m);
  ERR_print_errors_fp(stderr);
  exit(2);
}

static double now(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return t.tv_sec + t.tv_nsec / 1e9;
}

// ---- TLS I/O: 0 on success, -1 on any failure (the caller decides whether that is fatal) ----
static int wr(SSL *s, const void *b, size_t n) {
  const char *p = b;
  while (n) {
    int c = n > BUF ? BUF : (int)n;
    int w = SSL_write(s, p, c);
    if (w <= 0) return -1;
    p += w; n -= w;
  }
  return 0;
}
static int rd(SSL *s, void *b, size_t n) {
  char *p = b;
  while (n) {
    int c = n > BUF ? BUF : (int)n;
    int r = SSL_read(s, p, c);
    if (r <= 0) return -1;
    p += r; n -= r;
  }
  return 0;
}
static void wrall(SSL *s, const void *b, size_t n) { errno = 0; if (wr(s, b, n)) die("TLS write"); }
static void rdall(SSL *s, void *b, size_t n) { errno = 0; if (rd(s, b, n)) die("TLS read"); }

static void print_negotiated(SSL *s) {
  if (atomic_exchange(&printed, 1)) return;
  const char *group = "?";
  int nid = SSL_get_negotiated_group(s);
  if (nid > 0) { const char *g = SSL_group_to_name(s, nid); if (g) group = g; }
  char key[64] = "?";
  X509 *peer = SSL_get1_peer_certificate(s);
  if (peer) {
    EVP_PKEY *pk = X509_get0_pubkey(peer);
    if (pk) snprintf(key, sizeof key, "%s %d bits", EVP_PKEY_get0_type_name(pk), EVP_PKEY_get_bits(pk));
    X509_free(peer);
  }
  fprintf(stderr, "tls: %s %s group %s server key %s\n", SSL_get_version(s), SSL_get_cipher_name(s), group, key);
}

// A TCP connection and a TLS handshake on it; NULL on failure (fd closed). *fdp gets the socket.
static SSL *connect_tls(int *fdp) {
  int fd = socket(addr.ss_family, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return NULL;
  struct timeval tv = {io_timeout_s, 0};
  setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv); // bounds connect() too
  int one = 1;
  setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  if (connect(fd, (struct sockaddr *)&addr, addrlen)) { close(fd); return NULL; }
  SSL *s = SSL_new(ctx);
  if (!s) { close(fd); return NULL; }
  SSL_set_fd(s, fd);
  if (sni) SSL_set_tlsext_host_name(s, host);
  if (SSL_connect(s) != 1) { SSL_free(s); close(fd); return NULL; }
  print_negotiated(s);
  *fdp = fd;
  return s;
}

static void close_tls(SSL *s, int fd) {
  SSL_shutdown(s); // sends close_notify, does not wait for the peer's
  SSL_free(s);
  close(fd);
}

// The WebSocket upgrade; 0 when the answer is a 101. The head is read byte by byte (it is small,
// and nothing may be read past it).
static int upgrade(SSL *s, char *err, size_t errlen) {
  char req[512];
  int n = snprintf(req, sizeof req,
      "GET /websockify HTTP/1.1\r\nHost: %s:%s\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
      "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n"
      "Sec-WebSocket-Protocol: binary\r\n\r\n", host, port);
  if (wr(s, req, n)) { snprintf(err, errlen, "upgrade: write failed"); return -1; }
  char head[4096]; int h = 0;
  while (h < (int)sizeof head - 1) {
    if (SSL_read(s, head + h, 1) != 1) { snprintf(err, errlen, "upgrade: connection ended after %d bytes", h); return -1; }
    h++;
    if (h >= 4 && !memcmp(head + h - 4, "\r\n\r\n", 4)) break;
  }
  head[h] = 0;
  if (strncmp(head, "HTTP/1.1 101", 12)) { snprintf(err, errlen, "handshake refused: %.80s", head); return -1; }
  return 0;
}

static void mux_header(unsigned char *b, const char *m, uint64_t n) {
  memcpy(b, m, 4);
  for (int i = 0; i < 8; i++) b[4 + i] = n >> (8 * (7 - i));
  memset(b + 12, 0, 4);
}

// Writes the header of a masked (key 0) binary frame of n bytes so that it ends at `end`;
// returns its length.
static int frame_header(unsigned char *end, uint64_t n) {
  unsigned char h[14]; int k = 0;
  h[k++] = 0x82;
  if (n < 126) h[k++] = 0x80 | n;
  else if (n < 65536) { h[k++] = 0x80 | 126; h[k++] = n >> 8; h[k++] = n; }
  else { h[k++] = 0x80 | 127; for (int i = 7; i >= 0; i--) h[k++] = n >> (8 * i); }
  memset(h + k, 0, 4); k += 4;
  memcpy(end - k, h, k);
  return k;
}

// Reads one frame header; returns the payload length, sets *op.
static uint64_t frame_head(SSL *s, int *op) {
  unsigned char h[2]; rdall(s, h, 2);
  *op = h[0] & 0x0f;
  uint64_t n = h[1] & 0x7f;
  if (n == 126) { unsigned char e[2]; rdall(s, e, 2); n = (e[0] << 8) | e[1]; }
  else if (n == 127) { unsigned char e[8]; rdall(s, e, 8); n = 0; for (int i = 0; i < 8; i++) n = (n << 8) | e[i]; }
  if (h[1] & 0x80) { unsigned char m[4]; rdall(s, m, 4); } // servers never mask; tolerate
  return n;
}

static void *blast(void *arg) {
  (void)arg;
  int fd;
  errno = 0;
  SSL *s = connect_tls(&fd);
  if (!s) die("TLS connect");
  int ws = mode == DOWN || mode == UP, up = mode == UP || mode == TLSUP;
  char err[160];
  if (ws && upgrade(s, err, sizeof err)) { errno = 0; die(err); }
  unsigned char *buf = malloc(BUF + 16), hdr[32];
  if (!buf) die("malloc");
  memset(buf, 0, BUF + 16);
  mux_header(hdr + 16, up ? "SNK " : "SRC ", bytes);
  if (ws) { int k = frame_header(hdr + 16, 16); wrall(s, hdr + 16 - k, k + 16); }
  else wrall(s, hdr + 16, 16);
  if (!up && !ws) {
    uint64_t got = 0;
    while (got < bytes) {
      errno = 0;
      int r = SSL_read(s, buf, BUF);
      if (r <= 0) die("TLS read");
      got += r;
    }
  } else if (!up) {
    uint64_t got = 0;
    while (got < bytes) {
      int op; uint64_t n = frame_head(s, &op);
      if (op == 8) { fprintf(stderr, "closed by proxy after %llu bytes\n", (unsigned long long)got); exit(2); }
      while (n) {
        int c = n < BUF ? (int)n : BUF;
        errno = 0;
        int r = SSL_read(s, buf, c);
        if (r <= 0) die("TLS read");
        n -= r;
        if (op <= 2) got += r;
      }
    }
  } else {
    // Zeros: the content is irrelevant for speed (the sink's ACK says whether it matched its pattern).
    // In WebSocket mode each 64 KiB frame is one SSL_write of header + payload, so no extra records.
    uint64_t sent = 0;
    unsigned char *payload = buf + 16;
    while (sent < bytes) {
      uint64_t c = bytes - sent < FRAME ? bytes - sent : FRAME;
      if (ws) { int k = frame_header(payload, c); wrall(s, payload - k, k + c); }
      else wrall(s, payload, c);
      sent += c;
    }
    if (ws) {
      int op; uint64_t n;
      do {
        n = frame_head(s, &op);
        if (n > BUF) { errno = 0; die("unexpected frame"); }
        rdall(s, buf, n);
      } while (op != 2 && op != 1 && op != 8);
      if (op == 8 || n < 4 || memcmp(buf, "ACK ", 4)) { errno = 0; die("no ACK from the target"); }
    } else {
      rdall(s, buf, 16);
      if (memcmp(buf, "ACK ", 4)) { errno = 0; die("no ACK from the target"); }
    }
  }
  free(buf);
  close_tls(s, fd);
  return NULL;
}

// ---- handshakes ----
struct hs { double *lat; size_t n, cap; long errors; };
static double deadline;
static pthread_mutex_t errlock = PTHREAD_MUTEX_INITIALIZER;
static int errprinted;

static void hs_error(struct hs *h, const char *what) {
  h->errors++;
  pthread_mutex_lock(&errlock);
  if (errprinted < 5) {
    errprinted++;
    unsigned long e = ERR_peek_last_error();
    char eb[256] = "";
    if (e) ERR_error_string_n(e, eb, sizeof eb);
    fprintf(stderr, "handshake error: %s%s%s%s%s\n", what, errno ? ": " : "", errno ? strerror(errno) : "", *eb ? ": " : "", eb);
  }
  pthread_mutex_unlock(&errlock);
  ERR_clear_error();
  usleep(1000); // a refusing server must not turn this into a busy loop
}

static void *handshakes(void *arg) {
  struct hs *h = arg;
  char err[160];
  while (now() < deadline) {
    double t0 = now();
    int fd;
    errno = 0;
    SSL *s = connect_tls(&fd);
    if (!s) { hs_error(h, "TLS connect"); continue; }
    if (hs_ws && upgrade(s, err, sizeof err)) { hs_error(h, err); SSL_free(s); close(fd); continue; }
    double ms = (now() - t0) * 1000;
    close_tls(s, fd);
    if (h->n == h->cap) {
      h->cap = h->cap ? h->cap * 2 : 4096;
      h->lat = realloc(h->lat, h->cap * sizeof *h->lat);
      if (!h->lat) die("realloc");
    }
    h->lat[h->n++] = ms;
  }
  return NULL;
}

static int cmpd(const void *a, const void *b) {
  double x = *(const double *)a, y = *(const double *)b;
  return x < y ? -1 : x > y;
}

static void usage(void) {
  fprintf(stderr, "usage: wss-blast HOST PORT down|up|tlsdown|tlsup MIB [CONNS]\n"
                  "       wss-blast HOST PORT handshakes SECONDS [CONC] [ws|tls]\n");
  exit(2);
}

int main(int argc, char **argv) {
  if (argc < 5) usage();
  host = argv[1]; port = argv[2]; modename = argv[3];
  if (!strcmp(modename, "down")) mode = DOWN;
  else if (!strcmp(modename, "up")) mode = UP;
  else if (!strcmp(modename, "tlsdown")) mode = TLSDOWN;
  else if (!strcmp(modename, "tlsup")) mode = TLSUP;
  else if (!strcmp(modename, "handshakes")) mode = HANDSHAKES;
  else usage();
  signal(SIGPIPE, SIG_IGN);

  struct addrinfo hints = {0}, *ai;
  hints.ai_socktype = SOCK_STREAM;
  if (getaddrinfo(host, port, &hints, &ai)) { fprintf(stderr, "cannot resolve %s:%s\n", host, port); return 2; }
  memcpy(&addr, ai->ai_addr, ai->ai_addrlen);
  addrlen = ai->ai_addrlen;
  freeaddrinfo(ai);
  unsigned char tmp[16];
  sni = inet_pton(AF_INET, host, tmp) != 1 && inet_pton(AF_INET6, host, tmp) != 1;

  ctx = SSL_CTX_new(TLS_client_method());
  if (!ctx) die("SSL_CTX_new");
  SSL_CTX_set_verify(ctx, SSL_VERIFY_NONE, NULL);
  SSL_CTX_set_min_proto_version(ctx, TLS1_2_VERSION);
  const char *cap = getenv("WSS_TLS");
  if (cap && !strcmp(cap, "1.2")) SSL_CTX_set_max_proto_version(ctx, TLS1_2_VERSION);
  // Every handshake is a full one: nothing is cached, no tickets are asked for, no session is reused.
  SSL_CTX_set_session_cache_mode(ctx, SSL_SESS_CACHE_OFF);
  SSL_CTX_set_options(ctx, SSL_OP_NO_TICKET);

  if (mode == HANDSHAKES) {
    hs_seconds = atof(argv[4]);
    int conc = argc > 5 ? atoi(argv[5]) : 8;
    if (argc > 6) {
      if (!strcmp(argv[6], "tls")) hs_ws = 0;
      else if (strcmp(argv[6], "ws")) usage();
    }
    if (hs_seconds <= 0 || hs_seconds > 3600) usage();
    if (conc < 1 || conc > 256) conc = 8;
    io_timeout_s = 5;
    static pthread_t th[256];
    static struct hs hs[256];
    double t0 = now();
    deadline = t0 + hs_seconds;
    for (int i = 0; i < conc; i++) if (pthread_create(&th[i], NULL, handshakes, &hs[i])) die("pthread_create");
    for (int i = 0; i < conc; i++) pthread_join(th[i], NULL);
    double s = now() - t0;
    size_t n = 0; long errors = 0;
    for (int i = 0; i < conc; i++) { n += hs[i].n; errors += hs[i].errors; }
    double *all = malloc((n ? n : 1) * sizeof *all);
    if (!all) die("malloc");
    size_t k = 0;
    for (int i = 0; i < conc; i++) { memcpy(all + k, hs[i].lat, hs[i].n * sizeof *all); k += hs[i].n; }
    qsort(all, n, sizeof *all, cmpd);
    double p50 = n ? all[(size_t)(0.50 * (n - 1))] : 0, p99 = n ? all[(size_t)(0.99 * (n - 1))] : 0;
    printf("handshakes %zu seconds %.3f rate %.1f p50_ms %.2f p99_ms %.2f errors %ld\n", n, s, n / s, p50, p99, errors);
    return n ? 0 : 1;
  }

  bytes = (uint64_t)atoll(argv[4]) << 20;
  int conns = argc > 5 ? atoi(argv[5]) : 1;
  if (conns < 1 || conns > 256) conns = 1;
  double t0 = now();
  pthread_t th[256];
  for (int i = 0; i < conns; i++) if (pthread_create(&th[i], NULL, blast, NULL)) die("pthread_create");
  for (int i = 0; i < conns; i++) pthread_join(th[i], NULL);
  double s = now() - t0;
  printf("%s %d %.0f %.3f\n", modename, conns, (double)bytes * conns / 1e6 / s, s);
  return 0;
}
