/*
 * sigign.c - prints which signals this process was started with ignored
 * (SIG_IGN), for tests of what a program passes on to the programs it
 * starts: /proc/PID/status's SigIgn line, which macOS has not.  One line,
 * the names (without SIG) of the usual signals and the numbers of others,
 * in signal-number order, or "none".  Signals sigaction refuses to report
 * (glibc's two internal ones, 32 and 33) are not listed.
 *
 * usage: sigign
 */
#include <signal.h>
#include <stdio.h>
#include <string.h>

/* The name of signal SIG without "SIG", or NULL when it is not a usual one. */
static const char *
sig_name(int sig)
{
	static const struct { int sig; const char *name; } names[] = {
		{ SIGHUP, "HUP" }, { SIGINT, "INT" }, { SIGQUIT, "QUIT" },
		{ SIGILL, "ILL" }, { SIGTRAP, "TRAP" }, { SIGABRT, "ABRT" },
		{ SIGBUS, "BUS" }, { SIGFPE, "FPE" }, { SIGKILL, "KILL" },
		{ SIGUSR1, "USR1" }, { SIGSEGV, "SEGV" }, { SIGUSR2, "USR2" },
		{ SIGPIPE, "PIPE" }, { SIGALRM, "ALRM" }, { SIGTERM, "TERM" },
		{ SIGCHLD, "CHLD" }, { SIGCONT, "CONT" }, { SIGSTOP, "STOP" },
		{ SIGTSTP, "TSTP" }, { SIGTTIN, "TTIN" }, { SIGTTOU, "TTOU" },
		{ SIGURG, "URG" }, { SIGXCPU, "XCPU" }, { SIGXFSZ, "XFSZ" },
		{ SIGVTALRM, "VTALRM" }, { SIGPROF, "PROF" }, { SIGWINCH, "WINCH" },
		{ SIGSYS, "SYS" },
	};

	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (names[i].sig == sig)
			return names[i].name;
	return NULL;
}

int
main(void)
{
	struct sigaction sa;
	int n = 0;

	for (int sig = 1; sig < 128; sig++) {
		memset(&sa, 0, sizeof(sa));
		if (sigaction(sig, NULL, &sa) != 0 || sa.sa_handler != SIG_IGN)
			continue;
		if (sig_name(sig) != NULL)
			printf("%s%s", n++ ? " " : "", sig_name(sig));
		else
			printf("%s%d", n++ ? " " : "", sig);
	}
	printf("%s\n", n ? "" : "none");
	return fflush(stdout) == 0 ? 0 : 1;
}
