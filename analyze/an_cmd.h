/*
 * an_cmd.h - the subcommands of phocus-analyze, one file each (cmd_*.c),
 * dispatched from the table in an_main.c.
 */
#ifndef AN_CMD_H
#define AN_CMD_H

/* Exit codes of every subcommand. */
enum {
	AN_EXIT_OK = 0,
	AN_EXIT_FAIL = 1,	/* an input could not be read, or output not written */
	AN_EXIT_USAGE = 2	/* bad command line */
};

int cmd_report(int argc, char **argv);
int cmd_info(int argc, char **argv);
int cmd_dump(int argc, char **argv);
int cmd_import(int argc, char **argv);
int cmd_compare(int argc, char **argv);

/* Loads a trace or says why not (one line naming the file).  0 or -1. */
struct an_trace;
int an_cmd_load(struct an_trace *tr, const char *path);

/* Checks a --format value (png, svg, pdf); 0, or -1 after saying why. */
int an_cmd_format(const char *arg);

/* The trace's name without folder and ".pmtrace", into buf. */
void an_cmd_basename(const char *path, char *buf, unsigned len);

#endif /* AN_CMD_H */
