/*
 * cmd_compare.c - PLACEHOLDER until compare is written (issue 6).
 */
#include <err.h>

#include "an_cmd.h"

int
cmd_compare(int argc, char **argv)
{
	(void)argc; (void)argv;
	warnx("compare: not available yet");
	return AN_EXIT_FAIL;
}
