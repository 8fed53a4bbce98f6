/*
 * podlike-healthcheck: the controller image's HEALTHCHECK. The engine runs
 * it every second, so that Swarm sees a pod healthy within a second of it
 * becoming so; `podlike healthcheck` (node) costs about 100 ms of CPU a run,
 * this about 1 ms. It reads the same state file (src/controller/health-state.ts)
 * with the same rules: exit 0 only when the status is "healthy", the process
 * that wrote the file is the one still running (pid and its start time,
 * field 22 of /proc/<pid>/stat), and the file was written in the last
 * STALE_AFTER_S seconds (its "updated" time, ISO 8601 in UTC as the
 * controller writes it). Only the top level of the JSON object is read.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define MAX_FILE 65536
/* health-state.ts STALE_AFTER_MS */
#define STALE_AFTER_S 60

static const char *cursor;

static void skip_space(void) {
  while (*cursor && isspace((unsigned char)*cursor)) cursor++;
}

/* Copies a JSON string (escapes kept as the escaped character) into out; returns 0 on malformed input. */
static int read_string(char *out, size_t size) {
  size_t n = 0;
  if (*cursor != '"') return 0;
  cursor++;
  while (*cursor && *cursor != '"') {
    if (*cursor == '\\' && cursor[1]) cursor++;
    if (out && n + 1 < size) out[n++] = *cursor;
    cursor++;
  }
  if (*cursor != '"') return 0;
  cursor++;
  if (out) out[n] = 0;
  return 1;
}

/* Skips one JSON value of any kind; returns 0 on malformed input. */
static int skip_value(void) {
  int depth = 0;
  skip_space();
  do {
    if (!*cursor) return 0;
    if (*cursor == '"') {
      if (!read_string(NULL, 0)) return 0;
      continue;
    }
    if (*cursor == '{' || *cursor == '[') depth++;
    else if (*cursor == '}' || *cursor == ']') {
      if (depth == 0) return 1; /* the end of the enclosing object: a bare value ended here */
      depth--;
    } else if (depth == 0 && *cursor == ',') return 1;
    cursor++;
  } while (depth > 0 || (*cursor && *cursor != ',' && *cursor != '}'));
  return 1;
}

/* Field 22 (start time) of /proc/<pid>/stat, or 0 when the process does not exist. */
static int process_start(long pid, char *out, size_t size) {
  char path[64], stat[1024];
  snprintf(path, sizeof path, "/proc/%ld/stat", pid);
  FILE *f = fopen(path, "r");
  if (!f) return 0;
  size_t len = fread(stat, 1, sizeof stat - 1, f);
  fclose(f);
  stat[len] = 0;
  char *p = strrchr(stat, ')');
  if (!p) return 0;
  p += 2; /* fields from 3 on */
  for (int field = 3; field < 22 && p; field++) {
    p = strchr(p, ' ');
    if (p) p++;
  }
  if (!p) return 0;
  size_t n = strcspn(p, " ");
  if (n >= size) n = size - 1;
  memcpy(out, p, n);
  out[n] = 0;
  return 1;
}

/* "2026-11-29T10:18:23.123Z" → seconds since the epoch; -1 when it is not such a time. */
static long long parse_utc(const char *text) {
  struct tm tm;
  int consumed = 0;
  memset(&tm, 0, sizeof tm);
  if (sscanf(text, "%4d-%2d-%2dT%2d:%2d:%2d%n", &tm.tm_year, &tm.tm_mon, &tm.tm_mday, &tm.tm_hour, &tm.tm_min, &tm.tm_sec, &consumed) != 6) return -1;
  const char *rest = text + consumed;
  if (*rest == '.') {
    rest++;
    while (isdigit((unsigned char)*rest)) rest++;
  }
  if (strcmp(rest, "Z") != 0) return -1;
  tm.tm_year -= 1900;
  tm.tm_mon -= 1;
  return (long long)timegm(&tm);
}

static int unhealthy(const char *reason, const char *path) {
  printf("unhealthy: %s%s\n", reason, path ? path : "");
  return 1;
}

int main(void) {
  const char *path = getenv("PODLIKE_STATE_FILE");
  if (!path || !*path) path = "/run/podlike/health.json";
  static char text[MAX_FILE];
  FILE *f = fopen(path, "r");
  if (!f) return unhealthy("the controller has not reported yet", NULL);
  size_t len = fread(text, 1, sizeof text - 1, f);
  fclose(f);
  text[len] = 0;

  char status[64] = "", pid_start[64] = "", updated[64] = "", key[64];
  long pid = -1;
  int has_pid_start = 0;
  cursor = text;
  skip_space();
  if (*cursor++ != '{') return unhealthy("not a controller state file: ", path);
  for (;;) {
    skip_space();
    if (*cursor == '}') break;
    if (!read_string(key, sizeof key)) return unhealthy("not a controller state file: ", path);
    skip_space();
    if (*cursor++ != ':') return unhealthy("not a controller state file: ", path);
    skip_space();
    if (strcmp(key, "status") == 0) {
      if (!read_string(status, sizeof status)) return unhealthy("not a controller state file: ", path);
    } else if (strcmp(key, "pidStart") == 0 && *cursor == '"') {
      if (!read_string(pid_start, sizeof pid_start)) return unhealthy("not a controller state file: ", path);
      has_pid_start = 1;
    } else if (strcmp(key, "updated") == 0 && *cursor == '"') {
      if (!read_string(updated, sizeof updated)) return unhealthy("not a controller state file: ", path);
    } else if (strcmp(key, "pid") == 0 && isdigit((unsigned char)*cursor)) {
      pid = strtol(cursor, (char **)&cursor, 10);
    } else if (!skip_value()) {
      return unhealthy("not a controller state file: ", path);
    }
    skip_space();
    if (*cursor == ',') cursor++;
    else if (*cursor != '}') return unhealthy("not a controller state file: ", path);
  }
  if (pid < 0 || !*status) return unhealthy("not a controller state file: ", path);

  if (!has_pid_start) return unhealthy("the state file does not say which process wrote it (no pidStart): ", path);
  char start[64];
  if (!process_start(pid, start, sizeof start)) return unhealthy("the controller that wrote the state file no longer runs", NULL);
  if (strcmp(start, pid_start) != 0) return unhealthy("the state file is left over from an earlier run of this container", NULL);
  long long written = parse_utc(updated);
  if (written < 0) return unhealthy("the state file has no valid \"updated\" time: ", path);
  long long age = (long long)time(NULL) - written;
  if (age > STALE_AFTER_S) {
    printf("unhealthy: the controller has not reported for %lld s: it is stuck\n", age);
    return 1;
  }
  printf("%s\n", status);
  return strcmp(status, "healthy") == 0 ? 0 : 1;
}
