// ws-rate: new WebSocket sessions per second through a WebSocket-to-TCP proxy, and how long each
// takes to set up. One session: TCP connect, upgrade request, 101, a 16-byte masked binary frame,
// its echo (the proxy's target echoes), a close frame, the proxy's close, end of connection.
// CONC sessions are kept in flight on one epoll thread for SECONDS; every finished session starts
// another. Setup latency = connect() to the echo's arrival.
//
//   ws-rate client HOST PORT [CONC] [SECONDS] [ws|tcp]
//     ws:  the WebSocket session above (default); tcp: connect, 16 bytes, their echo, close (for a
//          TCP proxy such as haproxy in TCP mode in front of the same echo server).
//   ws-rate echo PORT
//     a plain TCP echo server on 127.0.0.1:PORT (epoll, one thread), the proxies' target.
// WS_PATH (default /) is the upgrade's request target (e.g. /?token=JWT) and WS_HEADERS more header
// lines, one per line (e.g. "Cookie: novnc_session=..."), for proxies that authenticate sessions.
// WS_PATHS_FILE: a file of request targets, one per line, used in turn (e.g. a fresh token each session).
// Prints: "sessions <n> seconds <s> rate <sessions/s> p50_ms <x> p99_ms <y> errors <e>".
// Build: gcc -O2 -o ws-rate ws-rate.c
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define MAX_CONC 4096
#define MAX_SAMPLES 4000000

enum phase { CONNECTING, HANDSHAKE, ECHO, CLOSING };

struct slot {
  int fd;
  enum phase phase;
  double started;
  char buf[1024];
  int have;
};

static struct sockaddr_in target;
static int raw;
static double *samples;
static long nsamples, sessions, errors;
static char request[8192];
static int request_len;
static char **paths; // WS_PATHS_FILE lines, or NULL
static long npaths, next_path;
static char host_header[300], extra_headers[4096];
static const unsigned char frame[] = {0x82, 0x90, 0, 0, 0, 0, 'r', 'a', 't', 'e', '-', 'p', 'r', 'o', 'b', 'e', '-', '1', '2', '3', '4', '5'};
static const unsigned char close_frame[] = {0x88, 0x82, 0, 0, 0, 0, 0x03, 0xe8};

static double now(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return t.tv_sec + t.tv_nsec / 1e9;
}

static void die(const char *m) {
  perror(m);
  exit(2);
}

static int start(int ep, struct slot *s) {
  s->fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
  if (s->fd < 0) die("socket");
  int one = 1;
  setsockopt(s->fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  s->phase = CONNECTING;
  s->have = 0;
  s->started = now();
  if (connect(s->fd, (struct sockaddr *)&target, sizeof target) < 0 && errno != EINPROGRESS) {
    close(s->fd);
    return -1;
  }
  struct epoll_event ev = {.events = EPOLLOUT | EPOLLIN, .data.ptr = s};
  if (epoll_ctl(ep, EPOLL_CTL_ADD, s->fd, &ev) < 0) die("epoll_ctl");
  return 0;
}

static void finish(int ep, struct slot *s, int ok) {
  epoll_ctl(ep, EPOLL_CTL_DEL, s->fd, NULL);
  close(s->fd);
  if (ok) sessions++; else errors++;
  while (start(ep, s) < 0) errors++;
}

static int send_all(int fd, const void *b, size_t n) {
  return write(fd, b, n) == (ssize_t)n ? 0 : -1; // tiny writes on a fresh socket: all or nothing
}

static void step(int ep, struct slot *s, uint32_t events) {
  if (events & (EPOLLERR | EPOLLHUP) && s->phase != CLOSING) {
    finish(ep, s, 0);
    return;
  }
  if (s->phase == CONNECTING) {
    if (!(events & EPOLLOUT)) return;
    int err = 0;
    socklen_t len = sizeof err;
    getsockopt(s->fd, SOL_SOCKET, SO_ERROR, &err, &len);
    if (paths && !raw) { // a request of its own: the next path of the file
      request_len = snprintf(request, sizeof request,
          "GET %s HTTP/1.1\r\nHost: %s\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
          "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n"
          "Sec-WebSocket-Protocol: binary\r\n%s\r\n", paths[next_path++ % npaths], host_header, extra_headers);
    }
    if (err || send_all(s->fd, raw ? (const void *)(frame + 6) : request, raw ? 16 : (size_t)request_len) < 0) {
      finish(ep, s, 0);
      return;
    }
    struct epoll_event ev = {.events = EPOLLIN, .data.ptr = s};
    epoll_ctl(ep, EPOLL_CTL_MOD, s->fd, &ev);
    s->phase = raw ? ECHO : HANDSHAKE;
    return;
  }
  ssize_t n = read(s->fd, s->buf + s->have, sizeof s->buf - s->have);
  if (n < 0 && errno == EAGAIN) return;
  if (n <= 0) {
    finish(ep, s, s->phase == CLOSING);
    return;
  }
  s->have += n;
  if (s->phase == HANDSHAKE) {
    char *end = memmem(s->buf, s->have, "\r\n\r\n", 4);
    if (!end) return;
    if (s->have < 12 || memcmp(s->buf + 9, "101", 3) != 0) {
      finish(ep, s, 0);
      return;
    }
    int rest = s->have - (int)(end + 4 - s->buf);
    memmove(s->buf, end + 4, rest);
    s->have = rest;
    if (send_all(s->fd, frame, sizeof frame) < 0) {
      finish(ep, s, 0);
      return;
    }
    s->phase = ECHO;
  }
  if (s->phase == ECHO) {
    int need = raw ? 16 : 18; // the echo, as one binary frame: 2 header bytes + 16
    if (s->have < need) return;
    if (nsamples < MAX_SAMPLES) samples[nsamples++] = now() - s->started;
    s->have = 0;
    if (raw) {
      finish(ep, s, 1);
      return;
    }
    if (send_all(s->fd, close_frame, sizeof close_frame) < 0) {
      finish(ep, s, 0);
      return;
    }
    s->phase = CLOSING; // the proxy answers the close and ends the connection
  }
  if (s->phase == CLOSING) s->have = 0;
}

static int cmp(const void *a, const void *b) {
  double x = *(const double *)a, y = *(const double *)b;
  return x < y ? -1 : x > y;
}

static int client(const char *host, int port, int conc, double seconds) {
  target.sin_family = AF_INET;
  target.sin_port = htons(port);
  if (inet_pton(AF_INET, host, &target.sin_addr) != 1) die("host must be an IPv4 address");
  const char *path = getenv("WS_PATH") ? getenv("WS_PATH") : "/";
  const char *extra = getenv("WS_HEADERS") ? getenv("WS_HEADERS") : "";
  char headers[4096];
  int h = 0;
  for (const char *c = extra; *c && h < (int)sizeof headers - 4; c++) {
    if (*c == '\n') headers[h++] = '\r';
    headers[h++] = *c;
  }
  if (h > 0 && headers[h - 1] != '\n') { headers[h++] = '\r'; headers[h++] = '\n'; }
  headers[h] = 0;
  request_len = snprintf(request, sizeof request,
      "GET %s HTTP/1.1\r\nHost: %s:%d\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
      "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n"
      "Sec-WebSocket-Protocol: binary\r\n%s\r\n", path, host, port, headers);
  if (request_len >= (int)sizeof request) die("WS_PATH and WS_HEADERS are too long");
  snprintf(host_header, sizeof host_header, "%s:%d", host, port);
  memcpy(extra_headers, headers, sizeof extra_headers);
  if (getenv("WS_PATHS_FILE")) {
    FILE *f = fopen(getenv("WS_PATHS_FILE"), "r");
    if (!f) die("WS_PATHS_FILE");
    long cap = 1024;
    paths = malloc(sizeof(char *) * cap);
    char line[4096];
    while (fgets(line, sizeof line, f)) {
      line[strcspn(line, "\r\n")] = 0;
      if (!*line) continue;
      if (npaths == cap) paths = realloc(paths, sizeof(char *) * (cap *= 2));
      paths[npaths++] = strdup(line);
    }
    fclose(f);
    if (npaths == 0) die("WS_PATHS_FILE is empty");
  }
  samples = malloc(sizeof(double) * MAX_SAMPLES);
  struct slot *slots = calloc(conc, sizeof *slots);
  int ep = epoll_create1(0);
  double t0 = now(), end = t0 + seconds;
  for (int i = 0; i < conc; i++) {
    while (start(ep, &slots[i]) < 0) errors++;
  }
  struct epoll_event events[256];
  while (now() < end) {
    int n = epoll_wait(ep, events, 256, 100);
    for (int i = 0; i < n; i++) step(ep, events[i].data.ptr, events[i].events);
  }
  double took = now() - t0;
  qsort(samples, nsamples, sizeof(double), cmp);
  double p50 = nsamples ? samples[nsamples / 2] * 1e3 : 0, p99 = nsamples ? samples[nsamples * 99 / 100] * 1e3 : 0;
  printf("sessions %ld seconds %.1f rate %.0f p50_ms %.3f p99_ms %.3f errors %ld\n", sessions, took, sessions / took, p50,
      p99, errors);
  return 0;
}

static _Noreturn void echo(int port) {
  int ls = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0), one = 1;
  setsockopt(ls, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons(port), .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
  if (bind(ls, (struct sockaddr *)&a, sizeof a) < 0 || listen(ls, 4096) < 0) die("echo: bind/listen");
  int ep = epoll_create1(0);
  struct epoll_event ev = {.events = EPOLLIN, .data.fd = ls};
  epoll_ctl(ep, EPOLL_CTL_ADD, ls, &ev);
  struct epoll_event events[256];
  char buf[65536];
  for (;;) {
    int n = epoll_wait(ep, events, 256, -1);
    for (int i = 0; i < n; i++) {
      int fd = events[i].data.fd;
      if (fd == ls) {
        int c;
        while ((c = accept4(ls, NULL, NULL, SOCK_NONBLOCK)) >= 0) {
          setsockopt(c, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
          struct epoll_event cev = {.events = EPOLLIN, .data.fd = c};
          epoll_ctl(ep, EPOLL_CTL_ADD, c, &cev);
        }
        continue;
      }
      ssize_t r = read(fd, buf, sizeof buf);
      if (r <= 0) {
        if (r < 0 && errno == EAGAIN) continue;
        close(fd);
        continue;
      }
      if (write(fd, buf, r) != r) close(fd); // small echoes; a full buffer here means a broken peer
    }
  }
}

int main(int argc, char **argv) {
  if (argc >= 3 && strcmp(argv[1], "echo") == 0) echo(atoi(argv[2]));
  if (argc < 4 || strcmp(argv[1], "client") != 0) {
    fprintf(stderr, "usage: ws-rate client HOST PORT [CONC] [SECONDS] [ws|tcp] | ws-rate echo PORT\n");
    return 2;
  }
  int conc = argc > 4 ? atoi(argv[4]) : 64;
  double seconds = argc > 5 ? atof(argv[5]) : 10;
  raw = argc > 6 && strcmp(argv[6], "tcp") == 0;
  if (conc < 1 || conc > MAX_CONC) die("CONC out of range");
  return client(argv[2], atoi(argv[3]), conc, seconds);
}
