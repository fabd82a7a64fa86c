/*
 * rec_target.h - which process to follow, and which processes form its tree.
 */
#ifndef REC_TARGET_H
#define REC_TARGET_H

#include <stddef.h>
#include <stdint.h>

enum { REC_TREE_MAX = 4096 };	/* processes followed at most */

/*
 * Scores how well a process (short name, executable path) matches the
 * application name the user gave: 0 = no match; higher is better.  Matching
 * ignores case; a Linux short name truncated to 15 characters matches;
 * an executable inside "*.app/Contents/MacOS/" wins over helpers.
 */
int rec_target_score(const char *want, const char *name, const char *path);

/*
 * Finds the running process that best matches want.  Among equal scores it
 * prefers one whose parent is not itself a match (the root of an app's own
 * helpers), then the lowest pid.  Returns the pid, 0 if none, or -errno.
 */
int32_t rec_target_find(const char *want);

/*
 * Stores in tree the pids of root and all its descendants (breadth-first,
 * root first, at most cap), and each one's parent in parents (the root's
 * parent is 0).  Returns the count, or -ESRCH if root is gone.  *left_out:
 * processes found but not followed for want of room (their own
 * descendants, not walked, are not counted).
 */
int rec_target_walk(int32_t root, int32_t *tree, int32_t *parents, size_t cap,
    size_t *left_out);

#endif /* REC_TARGET_H */
