/*
 * feed-file.c -- replaying files through the feed interface (see
 * feed-file.h).  It owns one reader per instrument at a time and one
 * look-ahead event per instrument for the merge.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>

#include "errmsg.h"
#include "feed-file.h"
#include "feed.h"
#include "instrument.h"

#define FF_MAX_INST	8
#define FF_MAX_FILES	1024

struct ff_inst {
	const char		*paths[FF_MAX_FILES];
	int			 npaths;
	int			 next;		/* next path to open */
	struct reader		*r;
	struct reader_opts	 opts;
	struct td_md		 head;
	bool			 has_head;
	bool			 done;
	bool			 has_last;
	td_ns			 last;		/* start of the last event */
	unsigned		 data;		/* FEED_TICKS or FEED_BARS */
	int64_t			 size[FF_MAX_FILES];	/* bytes of each path */
};

struct feed_file {
	struct feed		 feed;
	struct ff_inst		 in[FF_MAX_INST];
	int			 ninst;
	struct reader_stats	 sum;
};

static void
ff_add_stats(struct reader_stats *sum, const struct reader *r)
{
	const struct reader_stats *s = reader_stats(r);

	sum->rows += s->rows;
	sum->events += s->events;
	sum->skipped_disorder += s->skipped_disorder;
	sum->skipped_header += s->skipped_header;
	sum->skipped_flagged += s->skipped_flagged;
}

static int
ff_open_next(struct ff_inst *fi, struct errmsg *err)
{
	if (fi->next == fi->npaths) {
		fi->done = true;
		return 0;
	}
	fi->r = reader_open(fi->paths[fi->next], &fi->opts, err);
	if (fi->r == NULL)
		return -1;
	if (fi->next == 0)
		fi->data = reader_ticks(fi->r) == 1 ? FEED_TICKS :
		    FEED_BARS;
	fi->next++;
	return 1;
}

/* Across files a bar must start after the last one; ticks may repeat. */
static bool
ff_in_order(const struct ff_inst *fi, const struct td_md *md)
{
	td_ns	 t = td_md_start(md);

	if (!fi->has_last)
		return true;
	return md->kind == TD_MD_TICK ? t >= fi->last : t > fi->last;
}

static int
ff_advance(struct feed_file *ff, struct ff_inst *fi, struct errmsg *err)
{
	int	 rc;

	while (!fi->done) {
		if (fi->r == NULL && (rc = ff_open_next(fi, err)) <= 0)
			return rc;
		rc = reader_next(fi->r, &fi->head, err);
		if (rc == -1)
			return -1;
		if (rc == 0) {
			ff_add_stats(&ff->sum, fi->r);
			reader_close(fi->r);
			fi->r = NULL;
			continue;
		}
		if (!ff_in_order(fi, &fi->head)) {
			if (fi->opts.disorder == READER_REJECT)
				return errmsg_set(err, "%s: first row is not "
				    "after the end of the previous file",
				    fi->paths[fi->next - 1]);
			ff->sum.skipped_disorder++;
			continue;
		}
		fi->last = td_md_start(&fi->head);
		fi->has_last = true;
		fi->has_head = true;
		return 1;
	}
	return 0;
}

static int
ff_next(void *ctx, struct td_md *md, struct errmsg *err)
{
	struct feed_file	*ff = ctx;
	int			 best = -1;

	for (int i = 0; i < ff->ninst; i++) {
		struct ff_inst	*fi = &ff->in[i];

		if (!fi->has_head && ff_advance(ff, fi, err) == -1)
			return -1;
		if (fi->has_head && (best == -1 || td_md_time(&fi->head) <
		    td_md_time(&ff->in[best].head)))
			best = i;
	}
	if (best == -1)
		return 0;
	*md = ff->in[best].head;
	ff->in[best].has_head = false;
	return 1;
}

/* Each instrument with files: the kind of its first file's rows. */
static int
ff_subs(void *ctx, struct feed_sub *out, int max)
{
	struct feed_file	*ff = ctx;
	int			 n = 0;

	for (int i = 0; i < ff->ninst; i++) {
		if (ff->in[i].npaths == 0)
			continue;
		if (n < max)
			out[n] = (struct feed_sub){ .inst = i,
			    .data = ff->in[i].data };
		n++;
	}
	return n;
}

/* Bytes read of all the files: those done whole, and the open ones'. */
static int
ff_progress(void *ctx, int64_t *done, int64_t *total)
{
	struct feed_file	*ff = ctx;
	int64_t			 off;

	*done = *total = 0;
	for (int i = 0; i < ff->ninst; i++) {
		struct ff_inst	*fi = &ff->in[i];

		for (int k = 0; k < fi->npaths; k++) {
			*total += fi->size[k];
			if (k < fi->next - (fi->r != NULL ? 1 : 0))
				*done += fi->size[k];
		}
		if (fi->r != NULL && (off = reader_offset(fi->r)) > 0)
			*done += off;
	}
	if (*done > *total)
		*done = *total;
	return *total > 0;
}

/* Close every reader and open each instrument's first file again. */
static int
ff_rewind(void *ctx, struct errmsg *err)
{
	struct feed_file	*ff = ctx;

	memset(&ff->sum, 0, sizeof ff->sum);
	for (int i = 0; i < ff->ninst; i++) {
		struct ff_inst	*fi = &ff->in[i];

		reader_close(fi->r);
		fi->r = NULL;
		fi->next = 0;
		fi->has_head = fi->has_last = false;
		fi->done = fi->npaths == 0;
		if (!fi->done && ff_open_next(fi, err) == -1)
			return -1;
	}
	return 0;
}

static void
ff_destroy(void *ctx)
{
	struct feed_file	*ff = ctx;

	for (int i = 0; i < ff->ninst; i++)
		reader_close(ff->in[i].r);
	free(ff);
}

static const struct feed_ops feed_file_ops = {
	.name = "file",
	.next = ff_next,
	.subs = ff_subs,
	.progress = ff_progress,
	.rewind = ff_rewind,
	.destroy = ff_destroy,
};

struct feed *
feed_file_create(const struct feed_file_src *src, int n,
    const struct reader_opts *opts, const struct instrument *insts,
    int ninst, struct errmsg *err)
{
	struct feed_file	*ff;
	struct stat		 st;

	if (ninst > FF_MAX_INST || n < 1) {
		errmsg_set(err, "need at least one data file and at most %d "
		    "instruments", FF_MAX_INST);
		return NULL;
	}
	if ((ff = calloc(1, sizeof *ff)) == NULL) {
		errmsg_set(err, "out of memory");
		return NULL;
	}
	ff->ninst = ninst;
	for (int i = 0; i < ninst; i++) {
		ff->in[i].opts = *opts;
		ff->in[i].opts.inst = i;
		ff->in[i].opts.instrument = &insts[i];
		ff->in[i].done = true;
	}
	ff->feed.ops = &feed_file_ops;
	ff->feed.ctx = ff;
	for (int i = 0; i < n; i++) {
		struct ff_inst	*fi;

		if (src[i].inst < 0 || src[i].inst >= ninst) {
			errmsg_set(err, "%s: no instrument", src[i].path);
			goto fail;
		}
		if (access(src[i].path, R_OK) == -1) {
			errmsg_set(err, "%s: %s", src[i].path,
			    strerror(errno));
			goto fail;
		}
		fi = &ff->in[src[i].inst];
		if (fi->npaths == FF_MAX_FILES) {
			errmsg_set(err, "more than %d files for one "
			    "instrument", FF_MAX_FILES);
			goto fail;
		}
		fi->size[fi->npaths] = stat(src[i].path, &st) == 0 ?
		    (int64_t)st.st_size : 0;
		fi->paths[fi->npaths++] = src[i].path;
		fi->done = false;
	}
	/* Open the first file of each instrument now: fail early. */
	for (int i = 0; i < ninst; i++) {
		if (!ff->in[i].done && ff_open_next(&ff->in[i], err) == -1)
			goto fail;
	}
	return &ff->feed;

fail:
	ff_destroy(ff);
	return NULL;
}

void
feed_file_stats(const struct feed *f, struct reader_stats *sum)
{
	const struct feed_file	*ff = f->ctx;

	*sum = ff->sum;
	for (int i = 0; i < ff->ninst; i++) {
		if (ff->in[i].r != NULL)
			ff_add_stats(sum, ff->in[i].r);
	}
}

void
feed_free(struct feed *f)
{
	if (f != NULL)
		f->ops->destroy(f->ctx);
}

int
feed_rewind(struct feed *f, struct errmsg *err)
{
	if (f->ops->rewind == NULL)
		return errmsg_set(err, "the %s feed cannot go back",
		    f->ops->name);
	return f->ops->rewind(f->ctx, err);
}
