/*
 * rebind.so - LD_PRELOAD shim for novnc-proxy.
 *
 * Intercepts bind(2).  When a program binds an AF_INET or AF_INET6 socket
 * to the configured "old" port, the bind is redirected to the "new" port on
 * the loopback address (127.0.0.1 for AF_INET, ::1 for AF_INET6, including
 * AF_INET6 sockets that asked for an IPv4-mapped address).  The proxy can
 * then sit on the old port and forward to the program on loopback.
 *
 * Configuration (read once, when the library is loaded):
 *   REBIND_PORT_OLD / REBIND_PORT_NEW   preferred spelling
 *   REBIND_OLD_PORT / REBIND_NEW_PORT   accepted alternative spelling
 *   REBIND_DEBUG=1                      log the first moved bind to stderr
 *
 * If a port is missing or invalid the library is a pure pass-through and
 * prints a single "rebind: ..." line on stderr.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

typedef int (*bind_fn)(int, const struct sockaddr *, socklen_t);

static pthread_once_t rebind_once = PTHREAD_ONCE_INIT;
static bind_fn real_bind;
static int rebind_active;      /* 1 when both ports are valid */
static int rebind_debug;       /* REBIND_DEBUG=1 */
static in_port_t old_port_be;  /* network byte order */
static in_port_t new_port_be;  /* network byte order */
static unsigned int old_port_host;
static unsigned int new_port_host;
static int move_logged;        /* accessed with __atomic builtins */

#define VALUE_SHOWN_MAX 64

/* Write a printable, single-line, bounded rendering of s into buf. */
static void sanitize(const char *s, char *buf, size_t size)
{
    size_t i = 0;

    while (*s != '\0' && i + 1 < size) {
        unsigned char c = (unsigned char)*s++;
        buf[i++] = (c >= 0x20 && c < 0x7f) ? (char)c : '?';
    }
    if (*s != '\0' && size >= 4) {
        buf[size - 4] = '.';
        buf[size - 3] = '.';
        buf[size - 2] = '.';
        i = size - 1;
    }
    buf[i] = '\0';
}

/* Strict decimal parse: digits only, value 1..65535.  Returns 0 if invalid. */
static unsigned int parse_port(const char *s)
{
    unsigned long v = 0;

    if (s == NULL || *s == '\0')
        return 0;
    for (; *s != '\0'; s++) {
        if (*s < '0' || *s > '9')
            return 0;
        v = v * 10 + (unsigned long)(*s - '0');
        if (v > 65535)
            return 0;
    }
    return (unsigned int)v;
}

/*
 * Look up a port variable under its preferred name, falling back to the
 * alternative name.  Sets *used_name to the name actually consulted.
 */
static const char *get_port_var(const char *preferred, const char *alternative,
                                const char **used_name)
{
    const char *v = getenv(preferred);

    *used_name = preferred;
    if (v == NULL) {
        const char *alt = getenv(alternative);
        if (alt != NULL) {
            *used_name = alternative;
            v = alt;
        }
    }
    return v;
}

static void rebind_init(void)
{
    int saved_errno = errno;
    const char *old_name, *new_name;
    const char *old_val, *new_val;
    const char *dbg;
    const char *bad_name = NULL, *bad_val = NULL;

    real_bind = (bind_fn)dlsym(RTLD_NEXT, "bind");
    if (real_bind == NULL) {
        dprintf(STDERR_FILENO,
                "rebind: cannot resolve the real bind(): %s\n", dlerror());
        errno = saved_errno;
        return;
    }

    dbg = getenv("REBIND_DEBUG");
    rebind_debug = (dbg != NULL && strcmp(dbg, "1") == 0);

    old_val = get_port_var("REBIND_PORT_OLD", "REBIND_OLD_PORT", &old_name);
    new_val = get_port_var("REBIND_PORT_NEW", "REBIND_NEW_PORT", &new_name);
    old_port_host = parse_port(old_val);
    new_port_host = parse_port(new_val);

    if (old_port_host == 0) {
        bad_name = old_name;
        bad_val = old_val;
    } else if (new_port_host == 0) {
        bad_name = new_name;
        bad_val = new_val;
    }

    if (bad_name != NULL) {
        if (bad_val == NULL) {
            dprintf(STDERR_FILENO,
                    "rebind: %s is not set; bind() is passed through unchanged\n",
                    bad_name);
        } else {
            char shown[VALUE_SHOWN_MAX + 1];
            sanitize(bad_val, shown, sizeof(shown));
            dprintf(STDERR_FILENO,
                    "rebind: %s=\"%s\" is not a port number (1..65535); "
                    "bind() is passed through unchanged\n",
                    bad_name, shown);
        }
        errno = saved_errno;
        return;
    }

    old_port_be = htons((uint16_t)old_port_host);
    new_port_be = htons((uint16_t)new_port_host);
    rebind_active = 1;
    errno = saved_errno;
}

/* Parse the environment as soon as the library is loaded. */
__attribute__((constructor))
static void rebind_load(void)
{
    pthread_once(&rebind_once, rebind_init);
}

static void log_move(int family, int result, int err)
{
    int saved_errno = errno;

    if (__atomic_exchange_n(&move_logged, 1, __ATOMIC_ACQ_REL) != 0)
        return;
    if (result == 0) {
        dprintf(STDERR_FILENO,
                "rebind: pid %ld: bind to port %u moved to %s:%u\n",
                (long)getpid(), old_port_host,
                family == AF_INET ? "127.0.0.1" : "[::1]", new_port_host);
    } else {
        errno = err;
        dprintf(STDERR_FILENO,
                "rebind: pid %ld: bind to port %u moved to %s:%u failed: %m\n",
                (long)getpid(), old_port_host,
                family == AF_INET ? "127.0.0.1" : "[::1]", new_port_host);
    }
    errno = saved_errno;
}

int bind(int sockfd, const struct sockaddr *addr, socklen_t addrlen)
{
    sa_family_t family;
    int rc, err;

    pthread_once(&rebind_once, rebind_init);
    if (real_bind == NULL) {
        errno = ENOSYS;
        return -1;
    }
    if (!rebind_active || addr == NULL || addrlen < sizeof(sa_family_t))
        return real_bind(sockfd, addr, addrlen);

    memcpy(&family, (const char *)addr + offsetof(struct sockaddr, sa_family),
           sizeof(family));

    if (family == AF_INET && addrlen >= sizeof(struct sockaddr_in)) {
        struct sockaddr_in sin;

        memcpy(&sin, addr, sizeof(sin));
        if (sin.sin_port != old_port_be)
            return real_bind(sockfd, addr, addrlen);
        sin.sin_port = new_port_be;
        sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        rc = real_bind(sockfd, (const struct sockaddr *)&sin, sizeof(sin));
    } else if (family == AF_INET6 &&
               addrlen >= offsetof(struct sockaddr_in6, sin6_scope_id)) {
        /* The kernel accepts the 24-byte RFC 2133 form without scope id. */
        struct sockaddr_in6 sin6;
        size_t n = addrlen < sizeof(sin6) ? addrlen : sizeof(sin6);

        memset(&sin6, 0, sizeof(sin6));
        memcpy(&sin6, addr, n);
        if (sin6.sin6_port != old_port_be)
            return real_bind(sockfd, addr, addrlen);
        sin6.sin6_port = new_port_be;
        sin6.sin6_flowinfo = 0;
        sin6.sin6_addr = in6addr_loopback;
        sin6.sin6_scope_id = 0;
        rc = real_bind(sockfd, (const struct sockaddr *)&sin6, sizeof(sin6));
    } else {
        return real_bind(sockfd, addr, addrlen);
    }

    if (rebind_debug) {
        err = errno;
        log_move(family, rc, err);
        errno = err;
    }
    return rc;
}
