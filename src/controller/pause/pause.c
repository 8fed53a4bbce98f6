/*
 * podlike-pause: the pod's sandbox. It is PID 1 of the pod's PID namespace
 * and owns the pod's IPC namespace; components join both. As PID 1 it adopts
 * every orphaned process of the pod and reaps it, so no zombie piles up
 * (what Kubernetes' pause container does). SIGTERM or SIGINT end it at once
 * (as PID 1, signals without a handler are ignored).
 *
 * Given a name (`podlike-pause NAME`), it lives only as long as its
 * controller: it listens on the abstract unix socket @NAME of the network
 * namespace it shares with the controller, accepts ONE connection (the
 * controller's, made before any component starts), closes the listening
 * socket, and exits once that connection ends. The kernel closes the
 * controller's end when the controller dies, however it dies, and without
 * the engine; when PID 1 exits the kernel kills every process of its PID
 * namespace, so the pod goes with its controller. Nothing is ever read from
 * the connection: it carries no commands. Without a connection within
 * LINK_WAIT_SECONDS it exits too.
 *
 * Exit codes: 0 signal or link closed; 3 no controller connected in time;
 * 4 the link could not be set up.
 * Built statically into the controller image (under 1 MB of memory).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define LINK_WAIT_SECONDS 30

static void leave(int signal_number) {
  (void)signal_number;
  _exit(0);
}

static void reap(int signal_number) {
  (void)signal_number;
  int saved = errno;
  while (waitpid(-1, NULL, WNOHANG) > 0) {
  }
  errno = saved;
}

static void on(int signal_number, void (*handler)(int), int flags) {
  struct sigaction action;
  memset(&action, 0, sizeof action);
  action.sa_handler = handler;
  action.sa_flags = flags;
  sigemptyset(&action.sa_mask);
  sigaction(signal_number, &action, NULL);
}

static long now_ms(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return t.tv_sec * 1000L + t.tv_nsec / 1000000L;
}

/* The listening socket @name, or -1. */
static int listen_abstract(const char *name) {
  struct sockaddr_un address;
  size_t length = strlen(name);
  if (length == 0 || length > sizeof address.sun_path - 1) return -1;
  memset(&address, 0, sizeof address);
  address.sun_family = AF_UNIX;
  memcpy(address.sun_path + 1, name, length);
  int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return -1;
  /* the whole zero-padded sun_path is the name: Node (libuv) connects to abstract names that way */
  if (bind(fd, (struct sockaddr *)&address, sizeof address) < 0 || listen(fd, 1) < 0) {
    close(fd);
    return -1;
  }
  return fd;
}

/* Waits for the single connection; -1 when none came in time. */
static int accept_one(int listener) {
  long deadline = now_ms() + LINK_WAIT_SECONDS * 1000L;
  for (;;) {
    long left = deadline - now_ms();
    if (left <= 0) return -1;
    struct pollfd p = {.fd = listener, .events = POLLIN};
    int ready = poll(&p, 1, (int)left);
    if (ready < 0 && errno != EINTR) return -1;
    if (ready <= 0) continue;
    int connection = accept4(listener, NULL, NULL, SOCK_CLOEXEC);
    if (connection >= 0) return connection;
    if (errno != EINTR && errno != ECONNABORTED) return -1;
  }
}

/* Returns once the peer has gone (end of stream or error); whatever it sends is dropped. */
static void hold(int connection) {
  char sink[256];
  for (;;) {
    ssize_t got = read(connection, sink, sizeof sink);
    if (got > 0) continue;
    if (got < 0 && errno == EINTR) continue;
    return;
  }
}

int main(int argc, char **argv) {
  on(SIGTERM, leave, 0);
  on(SIGINT, leave, 0);
  on(SIGCHLD, reap, SA_NOCLDSTOP | SA_RESTART);
  if (argc < 2) {
    for (;;) pause();
  }
  int listener = listen_abstract(argv[1]);
  if (listener < 0) return 4;
  int connection = accept_one(listener);
  close(listener);
  if (connection < 0) return 3;
  hold(connection);
  return 0;
}
