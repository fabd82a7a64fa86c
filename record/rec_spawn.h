/*
 * rec_spawn.h - starting the command to follow, and noticing its end.
 */
#ifndef REC_SPAWN_H
#define REC_SPAWN_H

#include <stdint.h>
#include <sys/types.h>

/*
 * Starts argv[0] (searched in PATH) with standard input on /dev/null (the
 * recorder keeps its own for marks) and everything else inherited.  Returns
 * the pid, or -errno.
 */
pid_t rec_spawn_command(char *const argv[]);

/*
 * Checks, without reaping, whether child pid has exited (it stays a zombie,
 * so its final counters can still be read).  Returns 1 if so, 0 if not,
 * -errno on error.
 */
int rec_spawn_exited(pid_t pid);

/*
 * Reaps child pid, which has exited.  Returns its exit code (>= 0), or
 * minus the signal that killed it, or INT32_MIN if unknown.
 */
int32_t rec_spawn_reap(pid_t pid);

/* True if command (a path, or a name looked up in PATH) can be executed. */
int rec_spawn_findable(const char *command);

/*
 * Ends child pid if it still runs (the recording ended first): SIGTERM, and
 * reaps it if it exits within wait_ms.
 */
void rec_spawn_stop(pid_t pid, unsigned wait_ms);

#endif /* REC_SPAWN_H */
