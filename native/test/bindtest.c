/*
 * bindtest - helper for the novnc-proxy rebind tests.
 *
 *   bindtest listen inet|inet6 ADDR PORT [SECONDS]
 *       bind + listen, print the address the kernel actually bound
 *       ("bound 127.0.0.1:45000" / "bound [::1]:45000"), then wait up to
 *       SECONDS (default 30) or until SIGTERM/SIGINT.  Also checks that
 *       bind() did not modify the caller's sockaddr.
 *       On bind failure prints "bind failed: <ERRNAME>" and exits 3.
 *   bindtest connect inet|inet6 ADDR PORT
 *       exit 0 if a TCP connect succeeds, 1 otherwise.
 *   bindtest badfd PORT
 *       call bind(-1, 0.0.0.0:PORT) and print "bind failed: <ERRNAME>".
 *   bindtest shortlen PORT
 *       call bind() on an AF_INET socket with a truncated length and print
 *       "bind failed: <ERRNAME>".
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

static volatile sig_atomic_t stop;

static void on_signal(int sig)
{
    (void)sig;
    stop = 1;
}

static const char *errname(int e)
{
    switch (e) {
    case EADDRINUSE: return "EADDRINUSE";
    case EADDRNOTAVAIL: return "EADDRNOTAVAIL";
    case EACCES: return "EACCES";
    case EBADF: return "EBADF";
    case EINVAL: return "EINVAL";
    case ENOTSOCK: return "ENOTSOCK";
    case EAFNOSUPPORT: return "EAFNOSUPPORT";
    case ENOSYS: return "ENOSYS";
    default: return "OTHER";
    }
}

static int parse_port(const char *s)
{
    char *end;
    long v = strtol(s, &end, 10);

    if (*s == '\0' || *end != '\0' || v < 0 || v > 65535) {
        fprintf(stderr, "bindtest: bad port '%s'\n", s);
        exit(2);
    }
    return (int)v;
}

static socklen_t make_addr(const char *fam, const char *host, int port,
                           struct sockaddr_storage *ss, int *family)
{
    memset(ss, 0, sizeof(*ss));
    if (strcmp(fam, "inet") == 0) {
        struct sockaddr_in *sin = (struct sockaddr_in *)ss;
        sin->sin_family = AF_INET;
        sin->sin_port = htons((uint16_t)port);
        if (inet_pton(AF_INET, host, &sin->sin_addr) != 1)
            goto bad;
        *family = AF_INET;
        return sizeof(*sin);
    }
    if (strcmp(fam, "inet6") == 0) {
        struct sockaddr_in6 *sin6 = (struct sockaddr_in6 *)ss;
        sin6->sin6_family = AF_INET6;
        sin6->sin6_port = htons((uint16_t)port);
        if (inet_pton(AF_INET6, host, &sin6->sin6_addr) != 1)
            goto bad;
        *family = AF_INET6;
        return sizeof(*sin6);
    }
bad:
    fprintf(stderr, "bindtest: bad family/address '%s' '%s'\n", fam, host);
    exit(2);
}

static void print_addr(const char *label, const struct sockaddr_storage *ss)
{
    char buf[INET6_ADDRSTRLEN];

    if (ss->ss_family == AF_INET) {
        const struct sockaddr_in *sin = (const struct sockaddr_in *)ss;
        inet_ntop(AF_INET, &sin->sin_addr, buf, sizeof(buf));
        printf("%s %s:%u\n", label, buf, ntohs(sin->sin_port));
    } else {
        const struct sockaddr_in6 *sin6 = (const struct sockaddr_in6 *)ss;
        inet_ntop(AF_INET6, &sin6->sin6_addr, buf, sizeof(buf));
        printf("%s [%s]:%u\n", label, buf, ntohs(sin6->sin6_port));
    }
    fflush(stdout);
}

static int do_listen(int argc, char **argv)
{
    struct sockaddr_storage want, copy, got;
    socklen_t len, glen = sizeof(got);
    int family, fd, seconds = 30;
    struct timespec start, now;
    struct sigaction sa;

    if (argc < 5) {
        fprintf(stderr, "usage: bindtest listen inet|inet6 ADDR PORT [SECONDS]\n");
        return 2;
    }
    len = make_addr(argv[2], argv[3], parse_port(argv[4]), &want, &family);
    if (argc > 5)
        seconds = parse_port(argv[5]);

    memset(&sa, 0, sizeof(sa));
    sa.sa_handler = on_signal;
    sigaction(SIGTERM, &sa, NULL);
    sigaction(SIGINT, &sa, NULL);

    fd = socket(family, SOCK_STREAM, 0);
    if (fd < 0) {
        perror("bindtest: socket");
        return 1;
    }
    memcpy(&copy, &want, sizeof(copy));
    if (bind(fd, (struct sockaddr *)&want, len) != 0) {
        int e = errno;
        printf("bind failed: %s\n", errname(e));
        fflush(stdout);
        return 3;
    }
    if (memcmp(&copy, &want, sizeof(copy)) != 0) {
        printf("caller sockaddr MODIFIED\n");
        fflush(stdout);
        return 4;
    }
    if (listen(fd, 4) != 0) {
        perror("bindtest: listen");
        return 1;
    }
    if (getsockname(fd, (struct sockaddr *)&got, &glen) != 0) {
        perror("bindtest: getsockname");
        return 1;
    }
    print_addr("bound", &got);

    /* Wait, bounded by SECONDS, accepting nothing; connects still succeed
     * via the listen backlog. */
    clock_gettime(CLOCK_MONOTONIC, &start);
    while (!stop) {
        clock_gettime(CLOCK_MONOTONIC, &now);
        if (now.tv_sec - start.tv_sec >= seconds)
            break;
        usleep(100000);
    }
    close(fd);
    return 0;
}

static int do_connect(int argc, char **argv)
{
    struct sockaddr_storage to;
    socklen_t len;
    int family, fd;

    if (argc < 5) {
        fprintf(stderr, "usage: bindtest connect inet|inet6 ADDR PORT\n");
        return 2;
    }
    len = make_addr(argv[2], argv[3], parse_port(argv[4]), &to, &family);
    fd = socket(family, SOCK_STREAM, 0);
    if (fd < 0) {
        perror("bindtest: socket");
        return 1;
    }
    if (connect(fd, (struct sockaddr *)&to, len) != 0) {
        close(fd);
        return 1;
    }
    close(fd);
    return 0;
}

static int do_badcall(int argc, char **argv, int badfd)
{
    struct sockaddr_in sin;
    int fd = -1, rc;

    if (argc < 3) {
        fprintf(stderr, "usage: bindtest badfd|shortlen PORT\n");
        return 2;
    }
    memset(&sin, 0, sizeof(sin));
    sin.sin_family = AF_INET;
    sin.sin_port = htons((uint16_t)parse_port(argv[2]));
    sin.sin_addr.s_addr = htonl(INADDR_ANY);
    if (!badfd) {
        fd = socket(AF_INET, SOCK_STREAM, 0);
        if (fd < 0) {
            perror("bindtest: socket");
            return 1;
        }
    }
    errno = 0;
    rc = bind(fd, (struct sockaddr *)&sin, badfd ? sizeof(sin) : 8);
    if (rc == 0) {
        printf("bind succeeded\n");
        return 0;
    }
    printf("bind failed: %s\n", errname(errno));
    return 3;
}

int main(int argc, char **argv)
{
    if (argc >= 2 && strcmp(argv[1], "listen") == 0)
        return do_listen(argc, argv);
    if (argc >= 2 && strcmp(argv[1], "connect") == 0)
        return do_connect(argc, argv);
    if (argc >= 2 && strcmp(argv[1], "badfd") == 0)
        return do_badcall(argc, argv, 1);
    if (argc >= 2 && strcmp(argv[1], "shortlen") == 0)
        return do_badcall(argc, argv, 0);
    fprintf(stderr, "usage: bindtest listen|connect|badfd|shortlen ...\n");
    return 2;
}
