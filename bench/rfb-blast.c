// rfb-blast: downstream throughput of an RFB session through a WebSocket-to-TCP proxy, with or
// without the proxy's RFB layer. The server side speaks just enough RFB 3.8 to get a viewer to
// its ServerInit (it offers VNC Authentication and takes any response), then sends MIB MiB and
// closes; the client is a WebSocket viewer that answers whatever security the proxy offers
// (None, or a dummy VNC Authentication response when the proxy passes the server's offer
// through), sends ClientInit and counts the payload after ServerInit.
//
//   rfb-blast serve PORT MIB        (forks a child per connection)
//   rfb-blast client HOST PORT MIB  prints "down <MB/s> <seconds>" (MB = 10^6 bytes)
// Build: gcc -O2 -o rfb-blast rfb-blast.c
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static void die(const char *m) { perror(m); exit(2); }

static double now(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return t.tv_sec + t.tv_nsec / 1e9;
}

static void wrall(int fd, const void *b, size_t n) {
  const char *p = b;
  while (n > 0) {
    ssize_t w = write(fd, p, n);
    if (w <= 0) die("write");
    p += w;
    n -= (size_t)w;
  }
}

static void rdall(int fd, void *b, size_t n) {
  char *p = b;
  while (n > 0) {
    ssize_t r = read(fd, p, n);
    if (r <= 0) die("read");
    p += r;
    n -= (size_t)r;
  }
}

static void timeouts(int fd) {
  struct timeval tv = {30, 0};
  setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
}

static void serve_one(int fd, long mib) {
  unsigned char b[64];
  wrall(fd, "RFB 003.008\n", 12);
  rdall(fd, b, 12);
  wrall(fd, "\x01\x02", 2); // VNC Authentication
  rdall(fd, b, 1);
  unsigned char challenge[16] = {0};
  wrall(fd, challenge, 16);
  rdall(fd, b, 16); // any response is taken
  wrall(fd, "\0\0\0\0", 4);
  rdall(fd, b, 1); // ClientInit
  unsigned char init[24 + 5] = {0x05, 0x00, 0x03, 0x20, 32, 24, 0, 1, 0, 255, 0, 255, 0, 255, 16, 8, 0, 0, 0, 0, 0, 0, 0, 5, 'b', 'l', 'a', 's', 't'};
  wrall(fd, init, sizeof init);
  static unsigned char chunk[65536];
  memset(chunk, 0x5a, sizeof chunk);
  for (long i = 0; i < mib * 16; i++) wrall(fd, chunk, sizeof chunk);
  shutdown(fd, SHUT_WR);
  while (read(fd, b, sizeof b) > 0) {}
}

static int serve(int port, long mib) {
  signal(SIGCHLD, SIG_IGN);
  int s = socket(AF_INET, SOCK_STREAM, 0);
  int one = 1;
  setsockopt(s, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons(port), .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
  if (bind(s, (struct sockaddr *)&a, sizeof a) < 0 || listen(s, 64) < 0) die("bind");
  for (;;) {
    int c = accept(s, NULL, NULL);
    if (c < 0) continue;
    if (fork() == 0) {
      close(s);
      timeouts(c);
      serve_one(c, mib);
      _exit(0);
    }
    close(c);
  }
}

/** Reads one frame header; returns the payload length, the opcode in *op. */
static uint64_t frame_head(int fd, int *op) {
  unsigned char h[10];
  rdall(fd, h, 2);
  *op = h[0] & 0x0f;
  uint64_t n = h[1] & 0x7f;
  if (n == 126) { rdall(fd, h, 2); n = ((uint64_t)h[0] << 8) | h[1]; }
  else if (n == 127) { rdall(fd, h, 8); n = 0; for (int i = 0; i < 8; i++) n = (n << 8) | h[i]; }
  return n;
}

/** Payload bytes of the session as one stream: fills b with exactly n bytes. */
static uint64_t pending;
static void payload(int fd, void *b, size_t n) {
  char *p = b;
  while (n > 0) {
    while (pending == 0) {
      int op;
      pending = frame_head(fd, &op);
      if (op == 8) { fprintf(stderr, "closed by the proxy\n"); exit(1); }
    }
    size_t take = n < pending ? n : (size_t)pending;
    rdall(fd, p, take);
    p += take;
    n -= take;
    pending -= take;
  }
}

static void send_frame(int fd, const void *data, size_t n) {
  unsigned char f[6 + 64];
  f[0] = 0x82;
  f[1] = 0x80 | (unsigned char)n;
  memset(f + 2, 0, 4); // mask key 0: legal and cheap
  memcpy(f + 6, data, n);
  wrall(fd, f, 6 + n);
}

static int client(const char *host, int port, long mib) {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons(port)};
  inet_pton(AF_INET, host, &a.sin_addr);
  int one = 1;
  setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  timeouts(fd);
  if (connect(fd, (struct sockaddr *)&a, sizeof a) < 0) die("connect");
  char req[512];
  int len = snprintf(req, sizeof req, "GET / HTTP/1.1\r\nHost: %s:%d\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
      "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Protocol: binary\r\n\r\n", host, port);
  wrall(fd, req, len);
  char head[1024];
  int h = 0;
  while (h < 4 || memcmp(head + h - 4, "\r\n\r\n", 4) != 0) {
    if (h == (int)sizeof head) die("response head");
    rdall(fd, head + h, 1);
    h++;
  }
  if (strncmp(head, "HTTP/1.1 101", 12) != 0) { fprintf(stderr, "not upgraded: %.40s\n", head); return 1; }
  unsigned char b[64];
  payload(fd, b, 12);
  send_frame(fd, "RFB 003.008\n", 12);
  payload(fd, b, 1);
  int count = b[0];
  payload(fd, b, count);
  int type = b[0];
  send_frame(fd, &type, 1);
  if (type == 2) {
    payload(fd, b, 16);
    unsigned char response[16] = {0};
    send_frame(fd, response, 16);
  }
  payload(fd, b, 4);
  if (b[3] != 0) { fprintf(stderr, "security failed\n"); return 1; }
  send_frame(fd, "\x01", 1);
  payload(fd, b, 24);
  uint32_t name = ((uint32_t)b[20] << 24) | (b[21] << 16) | (b[22] << 8) | b[23];
  payload(fd, b, name);
  static char sink[1 << 20];
  uint64_t want = (uint64_t)mib << 20;
  double t0 = now();
  while (want > 0) {
    size_t n = want < sizeof sink ? (size_t)want : sizeof sink;
    payload(fd, sink, n);
    want -= n;
  }
  double s = now() - t0;
  printf("down %.1f %.3f\n", ((double)mib * 1048576) / 1e6 / s, s);
  close(fd);
  return 0;
}

int main(int argc, char **argv) {
  if (argc == 4 && strcmp(argv[1], "serve") == 0) return serve(atoi(argv[2]), atol(argv[3]));
  if (argc == 5 && strcmp(argv[1], "client") == 0) return client(argv[2], atoi(argv[3]), atol(argv[4]));
  fprintf(stderr, "usage: rfb-blast serve PORT MIB | rfb-blast client HOST PORT MIB\n");
  return 2;
}
