/*
 * rec_spawn.h - starting the command to follow, and noticing its end.
 */
#ifndef REC_SPAWN_H
#define REC_SPAWN_H

#include <signal.h>
#include <spawn.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

/*
 * The signals the recorder ignores (a closed pipe, a full file, terminal
 * I/O from the background must not kill it): *sigs points to them, the
 * count is returned.  Ignored signals stay ignored across exec (POSIX;
 * XNU bsd/kern/kern_sig.c execsigs() resets only caught ones), so every
 * child the recorder starts gets them back at their default: see
 * rec_spawn_attr_init().
 */
size_t rec_spawn_ignored(const int **sigs);

/*
 * Initializes *at for a child of the recorder: the signals of
 * rec_spawn_ignored() at their default (POSIX_SPAWN_SETSIGDEF; XNU
 * bsd/kern/kern_exec.c applies psa_sigdefault in posix_spawn) and no signal
 * blocked (POSIX_SPAWN_SETSIGMASK), plus the flags in extra_flags.  A
 * powermetrics that inherited SIGPIPE ignored would not die when the
 * recorder closes its pipe, and after the privilege drop the recorder may
 * not signal it (XNU kern_sig.c cansignal): it would outlive the recorder
 * as root.  Returns 0 or an errno value (then *at is destroyed).
 */
int rec_spawn_attr_init(posix_spawnattr_t *at, short extra_flags);

/*
 * Starts argv[0] (searched in PATH) with standard input on /dev/null (the
 * recorder keeps its own for marks), the signals the recorder ignores back
 * at their default (rec_spawn_attr_init) and everything else inherited.
 * Returns the pid, or -errno.
 */
pid_t rec_spawn_command(char *const argv[]);

/*
 * Checks, without reaping, whether child pid has exited (it stays a zombie,
 * so its final counters can still be read).  Returns 1 if so, 0 if not,
 * -errno on error.
 */
int rec_spawn_exited(pid_t pid);

/* CPU time of a reaped child and of every descendant it waited for. */
struct rec_spawn_usage {
	int have;			/* 1 when the values below were read */
	uint64_t user_ns;		/* user CPU time, ns */
	uint64_t system_ns;		/* system CPU time, ns */
};

/*
 * Reaps child pid, which has exited, with wait4(), and stores its rusage in
 * *u (if not NULL): the child's own CPU time plus that of all the children
 * it waited for, and theirs, so the exact total of the tree it started,
 * except processes that were still running when their parent exited.
 * Returns its exit code (>= 0), or minus the signal that killed it, or
 * INT32_MIN if unknown.
 */
int32_t rec_spawn_reap(pid_t pid, struct rec_spawn_usage *u);

/*
 * Whether command (a path, or a name looked up in PATH as execvp does) can
 * be executed: 0, -ENOENT (not found), -EACCES (found, not executable),
 * -EISDIR (a directory).
 */
int rec_spawn_check(const char *command);

/*
 * Ends child pid if it still runs (the recording ended first): SIGTERM, and
 * reaps it if it exits within wait_ms.
 */
void rec_spawn_stop(pid_t pid, unsigned wait_ms);

#endif /* REC_SPAWN_H */
