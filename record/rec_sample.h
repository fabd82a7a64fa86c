/*
 * rec_sample.h - one sample of the target's process tree and of the system,
 * as trace rows.
 */
#ifndef REC_SAMPLE_H
#define REC_SAMPLE_H

#include <stddef.h>
#include <stdint.h>

#include "cmn_rate.h"
#include "platform.h"
#include "pmtrace.h"
#include "rec_gpu.h"
#include "rec_loss.h"
#include "rec_target.h"

enum {
	REC_GPU_FIRST = 64,		/* GPU clients of the tree room at first */
	REC_GPU_MAX = 65536		/* room grows to this at most */
};

/* Who was in the previous sample (sorted by pid). */
struct rec_member {
	int32_t pid;			/* first: cmn_pid_cmp_first sorts by it */
	uint64_t start;			/* start_time token, to tell a reused pid */
	char name[PLAT_NAME_MAX];	/* name last stored in the trace */
};

struct rec_sampler {
	const struct plat_info *info;	/* machine facts (units, costly reads) */
	int32_t root;			/* the target */
	struct cmn_rate costly_rate;	/* PLAT_WANT_COSTLY reads (every_ns 0: none) */
	struct cmn_rate gpu_rate;	/* GPU client reads */
	struct plat_gpu_client *gpu;	/* the tree's GPU clients, one read */
	size_t gpu_cap;			/* room in gpu */
	struct rec_gpu_track gpu_track;	/* per-pid GPU time, closed clients kept */
	uint64_t gpu_skipped;		/* GPU reads dropped: more than REC_GPU_MAX */
	size_t tree_max;		/* processes followed at most (REC_TREE_MAX) */
	int32_t tree[REC_TREE_MAX];	/* this sample's pids, walk order */
	int32_t parents[REC_TREE_MAX];	/* their parents from the walk */
	struct pmt_proc rows[REC_TREE_MAX];	/* this sample, for the writer */
	char names[REC_TREE_MAX][PLAT_NAME_MAX];	/* names of new processes */
	size_t nrows;
	struct rec_member *prev;	/* previous sample's members */
	size_t nprev;
	struct rec_member *cur;		/* scratch for this sample's members */
	int32_t gpu_pids[REC_TREE_MAX];	/* scratch: the rows' pids, sorted */
	uint64_t procs_seen;		/* distinct processes so far */
	uint64_t rss_sum;		/* this sample: summed RSS, bytes */
	uint64_t cpu_sum;		/* this sample: own CPU of all rows, native units */
	/* what could not be read; left as it is by rec_sample_init (the caller
	 * zeroes it once), so losses before the target appeared count too */
	struct rec_losses loss;
};

/* Prepares s for following root.  Returns 0 or -ENOMEM. */
int rec_sample_init(struct rec_sampler *s, const struct plat_info *info, int32_t root);

void rec_sample_free(struct rec_sampler *s);

/*
 * Walks the tree and reads every member at time t (ns since the trace
 * start); the rows are in s->rows[0..s->nrows).  Returns 0, -ESRCH when
 * the root process is gone, or -EACCES when it cannot be read.
 */
int rec_sample_tree(struct rec_sampler *s, uint64_t t);

/*
 * The same for the recording's last sample: also reads what is read only
 * now and then (PSS, GPU time, disk bytes) whatever its spacing.
 */
int rec_sample_tree_final(struct rec_sampler *s, uint64_t t);

/*
 * Copies the platform's counters of one process into trace row *r (same
 * units; the name is left out).  walk_parent is its parent when the platform
 * did not say (PLAT_HAVE_PPID unset).
 */
void rec_sample_row_fill(struct pmt_proc *r, const struct plat_proc *p,
    int32_t walk_parent);

/*
 * Reads the system counters into *out; ticks points into a buffer kept in
 * the sampler's static storage.  Returns 0 or -errno.
 */
int rec_sample_system(struct pmt_sys *out);

#endif /* REC_SAMPLE_H */
