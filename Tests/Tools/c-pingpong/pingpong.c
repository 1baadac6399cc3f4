/*
 * pingpong: the baseline for scripts/bench. A plain C unary round trip over a
 * Unix stream socket, with the same framing as our RPC runtime: a 4-byte
 * big-endian length N (counting only the following bytes), then N bytes.
 *
 *   cc -O2 -o pingpong pingpong.c
 *   pingpong --socket PATH --request-bytes R --response-bytes S --calls N --warmup W
 *
 * The server is a forked child process: it accepts one connection and answers
 * every request frame with a response frame of S bytes, until the client
 * closes. The client (the parent) sends W warmup calls and then N timed calls,
 * one at a time (waits for each response), and prints one JSON line:
 *
 *   {"impl":"c-pingpong","request_bytes":R,"response_bytes":S,"calls":N,
 *    "p50_us":..,"p99_us":..,"mean_us":..,"calls_per_s":..}
 *
 * Percentiles are nearest-rank over the N timed round trips; calls_per_s is
 * N divided by the wall time of the timed calls. Any error: a message on
 * stderr and exit status 1.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <limits.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define MAX_FRAME_BYTES (64u * 1024u * 1024u)

static const char *socket_path;
static int socket_bound;
static pid_t server_pid = -1;

static void cleanup(void) {
    if (server_pid > 0) {
        kill(server_pid, SIGTERM);
        waitpid(server_pid, NULL, 0);
        server_pid = -1;
    }
    if (socket_bound) {
        unlink(socket_path);
        socket_bound = 0;
    }
}

static void die(const char *fmt, ...) {
    va_list ap;
    fprintf(stderr, "pingpong: ");
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
    cleanup();
    exit(1);
}

/* Server-side error: report and exit without touching the parent's state. */
static void server_die(const char *fmt, ...) {
    va_list ap;
    fprintf(stderr, "pingpong (server): ");
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
    _exit(1);
}

static void usage(void) {
    fprintf(stderr,
            "usage: pingpong --socket PATH --request-bytes R --response-bytes S "
            "--calls N --warmup W\n");
    exit(2);
}

static unsigned long parse_count(const char *name, const char *s, unsigned long min,
                                 unsigned long max) {
    char *end;
    unsigned long v;
    if (s == NULL || *s == '\0' || *s == '-')
        die("%s: expected a non-negative integer, got '%s'", name, s ? s : "");
    errno = 0;
    v = strtoul(s, &end, 10);
    if (errno != 0 || *end != '\0' || v < min || v > max)
        die("%s: expected an integer in [%lu, %lu], got '%s'", name, min, max, s);
    return v;
}

/* Write all of buf; 0 on success, -1 with errno set on error. */
static int write_all(int fd, const unsigned char *buf, size_t len) {
    while (len > 0) {
        ssize_t n = send(fd, buf, len, MSG_NOSIGNAL);
        if (n < 0) {
            if (errno == EINTR) continue;
            return -1;
        }
        buf += n;
        len -= (size_t)n;
    }
    return 0;
}

/* Read exactly len bytes: 1 on success, 0 on EOF before the first byte,
 * -1 on error or on EOF in the middle (errno = EPIPE then). */
static int read_all(int fd, unsigned char *buf, size_t len) {
    size_t got = 0;
    while (got < len) {
        ssize_t n = read(fd, buf + got, len - got);
        if (n < 0) {
            if (errno == EINTR) continue;
            return -1;
        }
        if (n == 0) {
            if (got == 0) return 0;
            errno = EPIPE;
            return -1;
        }
        got += (size_t)n;
    }
    return 1;
}

static void put_be32(unsigned char *p, uint32_t v) {
    p[0] = (unsigned char)(v >> 24);
    p[1] = (unsigned char)(v >> 16);
    p[2] = (unsigned char)(v >> 8);
    p[3] = (unsigned char)v;
}

static uint32_t get_be32(const unsigned char *p) {
    return ((uint32_t)p[0] << 24) | ((uint32_t)p[1] << 16) | ((uint32_t)p[2] << 8) | p[3];
}

static unsigned char *frame_alloc(size_t body, unsigned char fill) {
    unsigned char *f = malloc(4 + body);
    if (f == NULL) return NULL;
    put_be32(f, (uint32_t)body);
    memset(f + 4, fill, body);
    return f;
}

static uint64_t now_ns(void) {
    struct timespec ts;
    if (clock_gettime(CLOCK_MONOTONIC, &ts) != 0) die("clock_gettime: %s", strerror(errno));
    return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

static int cmp_u64(const void *a, const void *b) {
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return (x > y) - (x < y);
}

/* Nearest-rank percentile of a sorted array, p in (0, 1]. */
static uint64_t percentile(const uint64_t *sorted, size_t n, double p) {
    size_t rank = (size_t)((double)n * p + 0.999999999);
    if (rank < 1) rank = 1;
    if (rank > n) rank = n;
    return sorted[rank - 1];
}

static void run_server(int listener, size_t response_bytes) {
    unsigned char header[4];
    unsigned char *request = NULL;
    size_t request_cap = 0;
    unsigned char *response = frame_alloc(response_bytes, 0x5a);
    int conn;

    if (response == NULL) server_die("out of memory");
    for (;;) {
        conn = accept(listener, NULL, NULL);
        if (conn >= 0) break;
        if (errno != EINTR) server_die("accept: %s", strerror(errno));
    }
    close(listener);

    for (;;) {
        int r = read_all(conn, header, 4);
        uint32_t len;
        if (r == 0) break; /* client closed: done */
        if (r < 0) server_die("reading a request header: %s", strerror(errno));
        len = get_be32(header);
        if (len > MAX_FRAME_BYTES) server_die("request frame of %u bytes is too large", len);
        if (len > request_cap) {
            free(request);
            request = malloc(len);
            if (request == NULL) server_die("out of memory");
            request_cap = len;
        }
        if (len > 0) {
            r = read_all(conn, request, len);
            if (r <= 0)
                server_die("reading a %u-byte request body: %s", len,
                           r == 0 ? "connection closed" : strerror(errno));
        }
        if (write_all(conn, response, 4 + response_bytes) != 0)
            server_die("writing a response: %s", strerror(errno));
    }
    close(conn);
    free(request);
    free(response);
    _exit(0);
}

int main(int argc, char **argv) {
    unsigned long request_bytes = ULONG_MAX, response_bytes = ULONG_MAX;
    unsigned long calls = 0, warmup = ULONG_MAX;
    struct sockaddr_un addr;
    struct stat st;
    int listener, fd, i, status;
    unsigned char *request, *response_body, header[4];
    uint64_t *lat, start, end, sum = 0;
    unsigned long k;

    for (i = 1; i < argc; i++) {
        const char *a = argv[i];
        const char *v = (i + 1 < argc) ? argv[i + 1] : NULL;
        if (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0) usage();
        if (v == NULL) {
            fprintf(stderr, "pingpong: %s needs a value\n", a);
            usage();
        }
        if (strcmp(a, "--socket") == 0) socket_path = v;
        else if (strcmp(a, "--request-bytes") == 0)
            request_bytes = parse_count(a, v, 0, MAX_FRAME_BYTES);
        else if (strcmp(a, "--response-bytes") == 0)
            response_bytes = parse_count(a, v, 0, MAX_FRAME_BYTES);
        else if (strcmp(a, "--calls") == 0)
            calls = parse_count(a, v, 1, 100000000ul);
        else if (strcmp(a, "--warmup") == 0)
            warmup = parse_count(a, v, 0, 100000000ul);
        else {
            fprintf(stderr, "pingpong: unknown option %s\n", a);
            usage();
        }
        i++;
    }
    if (socket_path == NULL || request_bytes == ULONG_MAX || response_bytes == ULONG_MAX ||
        calls == 0 || warmup == ULONG_MAX) {
        fprintf(stderr, "pingpong: all options are required\n");
        usage();
    }

    memset(&addr, 0, sizeof addr);
    addr.sun_family = AF_UNIX;
    if (strlen(socket_path) >= sizeof addr.sun_path)
        die("socket path is longer than %zu bytes: %s", sizeof addr.sun_path - 1, socket_path);
    strcpy(addr.sun_path, socket_path);

    /* A stale socket from an earlier run is removed; anything else is an error. */
    if (lstat(socket_path, &st) == 0) {
        if (!S_ISSOCK(st.st_mode)) die("%s exists and is not a socket", socket_path);
        if (unlink(socket_path) != 0) die("unlink %s: %s", socket_path, strerror(errno));
    }

    listener = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (listener < 0) die("socket: %s", strerror(errno));
    if (bind(listener, (struct sockaddr *)&addr, sizeof addr) != 0)
        die("bind %s: %s", socket_path, strerror(errno));
    socket_bound = 1;
    if (listen(listener, 1) != 0) die("listen: %s", strerror(errno));

    fflush(stdout);
    fflush(stderr);
    server_pid = fork();
    if (server_pid < 0) die("fork: %s", strerror(errno));
    if (server_pid == 0) run_server(listener, response_bytes); /* does not return */
    close(listener);

    fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0) die("socket: %s", strerror(errno));
    for (;;) {
        if (connect(fd, (struct sockaddr *)&addr, sizeof addr) == 0) break;
        if (errno != EINTR) die("connect %s: %s", socket_path, strerror(errno));
    }

    request = frame_alloc(request_bytes, 0xa5);
    response_body = malloc(response_bytes > 0 ? response_bytes : 1);
    lat = malloc(sizeof *lat * calls);
    if (request == NULL || response_body == NULL || lat == NULL) die("out of memory");

    start = 0;
    for (k = 0; k < warmup + calls; k++) {
        uint64_t t0, t1;
        uint32_t len;
        int r;
        if (k == warmup) start = now_ns();
        t0 = now_ns();
        if (write_all(fd, request, 4 + request_bytes) != 0)
            die("call %lu: writing the request: %s", k, strerror(errno));
        r = read_all(fd, header, 4);
        if (r <= 0)
            die("call %lu: reading the response header: %s", k,
                r == 0 ? "server closed the connection" : strerror(errno));
        len = get_be32(header);
        if (len != response_bytes)
            die("call %lu: response frame of %u bytes, expected %lu", k, len, response_bytes);
        if (len > 0) {
            r = read_all(fd, response_body, len);
            if (r <= 0)
                die("call %lu: reading the response body: %s", k,
                    r == 0 ? "server closed the connection" : strerror(errno));
        }
        t1 = now_ns();
        if (k >= warmup) lat[k - warmup] = t1 - t0;
    }
    end = now_ns();

    /* Close our side; the server sees EOF and exits 0. */
    close(fd);
    for (;;) {
        if (waitpid(server_pid, &status, 0) >= 0) break;
        if (errno != EINTR) die("waitpid: %s", strerror(errno));
    }
    server_pid = -1;
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) die("the server process failed");
    cleanup();

    for (k = 0; k < calls; k++) sum += lat[k];
    qsort(lat, calls, sizeof *lat, cmp_u64);

    printf("{\"impl\":\"c-pingpong\",\"request_bytes\":%lu,\"response_bytes\":%lu,"
           "\"calls\":%lu,\"p50_us\":%.3f,\"p99_us\":%.3f,\"mean_us\":%.3f,"
           "\"calls_per_s\":%.1f}\n",
           request_bytes, response_bytes, calls, percentile(lat, calls, 0.50) / 1000.0,
           percentile(lat, calls, 0.99) / 1000.0, (double)sum / calls / 1000.0,
           (double)calls / ((double)(end - start) / 1e9));
    if (fflush(stdout) != 0 || ferror(stdout)) die("writing the result: %s", strerror(errno));

    free(request);
    free(response_body);
    free(lat);
    return 0;
}
