/*
 * podlike-pause: the pod's sandbox. It is PID 1 of the pod's PID namespace
 * and owns the pod's IPC namespace; components join both. It holds nothing
 * else: no socket, no file, no mount of the controller. As PID 1 it adopts
 * every orphaned process of the pod and reaps it, so no zombie piles up
 * (what Kubernetes' pause container does). SIGTERM or SIGINT end it at once
 * (as PID 1, signals without a handler are ignored).
 * Built statically into the controller image (under 1 MB of memory).
 */
#include <errno.h>
#include <signal.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

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

int main(void) {
  on(SIGTERM, leave, 0);
  on(SIGINT, leave, 0);
  on(SIGCHLD, reap, SA_NOCLDSTOP | SA_RESTART);
  for (;;) pause();
}
