/*
 * podlike-pause: what the pod's IPC holder runs. It holds the IPC namespace
 * that the components join and does nothing else; SIGTERM or SIGINT end it
 * at once (also as PID 1, where signals without a handler are ignored).
 * Built statically into the controller image (under 1 MB of memory instead
 * of an idle node process).
 */
#include <signal.h>
#include <unistd.h>

static void leave(int signal_number) {
  (void)signal_number;
  _exit(0);
}

int main(void) {
  signal(SIGTERM, leave);
  signal(SIGINT, leave);
  for (;;) pause();
}
