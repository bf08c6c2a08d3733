/*
 * opt-mpi.c -- a grid, or a genetic search's generations, shared over MPI
 * (see opt-mpi.h).
 *
 * Owns nothing past a call but the MPI session between init and finish.
 * The share of a process is a function of (rank, size), so rank 0 knows
 * where each process's rows go without being told: each sends how many
 * points it did and its rows as bytes, in the order of its share.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#ifdef TD_MPI
#include <mpi.h>
#endif

#include "errmsg.h"
#include "opt-mpi.h"

/* The points of the grid this process takes: p % size == rank. */
static int64_t
om_share(const struct opt_mpi *m, const struct opt_row *rows, int64_t total,
    int64_t *pts)
{
	int64_t	 n = 0;

	for (int64_t p = m->rank; p < total; p += m->size)
		if (!rows[p].done)
			pts[n++] = p;
	return n;
}

/* This process's share backtested: *n points in pts, their rows in part. */
static int64_t
om_local(const struct opt_mpi *m, const struct opt_job *job,
    const struct opt_row *rows, int64_t *pts, struct opt_row *part,
    int64_t *n, struct errmsg *err)
{
	struct opt_job	 j = *job;

	*n = om_share(m, rows, job->space->npoints, pts);
	j.points = pts;
	j.npoints = *n;
	return *n > 0 ? opt_run(&j, part, err) : 0;
}

/* The rows of a share put where their points are. */
static void
om_place(struct opt_row *rows, const int64_t *pts,
    const struct opt_row *part, int64_t n)
{
	for (int64_t i = 0; i < n; i++)
		if (part[i].done)
			rows[pts[i]] = part[i];
}

/* One process: its share is every point not done. */
static int64_t
om_alone(const struct opt_mpi *m, const struct opt_job *job,
    struct opt_row *rows, struct errmsg *err)
{
	int64_t		 total = job->space->npoints, done, n = 0;
	int64_t		*pts = malloc((size_t)total * sizeof *pts);
	struct opt_row	*part = calloc((size_t)total, sizeof *part);

	if (pts == NULL || part == NULL)
		done = errmsg_set(err, "out of memory");
	else if ((done = om_local(m, job, rows, pts, part, &n, err)) != -1)
		om_place(rows, pts, part, n);
	free(pts);
	free(part);
	return done;
}

#ifdef TD_MPI

int
opt_mpi_init(struct opt_mpi *m, int *argc, char ***argv, struct errmsg *err)
{
	memset(m, 0, sizeof *m);
	m->size = 1;
	/* Started by mpirun (Open MPI's launcher says so): join the others. */
	if (getenv("OMPI_COMM_WORLD_SIZE") == NULL)
		return 0;
	if (MPI_Init(argc, argv) != MPI_SUCCESS)
		return errmsg_set(err, "MPI_Init failed");
	m->on = true;
	MPI_Comm_rank(MPI_COMM_WORLD, &m->rank);
	MPI_Comm_size(MPI_COMM_WORLD, &m->size);
	return 0;
}

void
opt_mpi_finish(struct opt_mpi *m)
{
	if (m->on)
		MPI_Finalize();
	m->on = false;
}

/*
 * Every process's n rows to rank 0, which puts them where their points
 * are (each share known from its rank).  pts is room for any share.
 */
static int
om_gather(const struct opt_mpi *m, struct opt_row *rows, int64_t total,
    const struct opt_row *part, int64_t n, int64_t *pts,
    struct errmsg *err)
{
	int		 mine = (int)(n * (int64_t)sizeof *part), sum = 0;
	int		*count = NULL, *at = NULL;
	struct opt_row	*all = NULL;
	int		 rc = 0;

	if (m->rank == 0 && ((count = calloc((size_t)m->size,
	    sizeof *count)) == NULL || (at = calloc((size_t)m->size,
	    sizeof *at)) == NULL))
		rc = errmsg_set(err, "out of memory");
	MPI_Gather(&mine, 1, MPI_INT, count, 1, MPI_INT, 0, MPI_COMM_WORLD);
	for (int r = 0; m->rank == 0 && rc == 0 && r < m->size; r++) {
		at[r] = sum;
		sum += count[r];
	}
	if (m->rank == 0 && rc == 0 && (all = malloc((size_t)sum + 1)) ==
	    NULL)
		rc = errmsg_set(err, "out of memory");
	MPI_Gatherv(part, mine, MPI_BYTE, all, count, at, MPI_BYTE, 0,
	    MPI_COMM_WORLD);
	for (int r = 0; m->rank == 0 && all != NULL && r < m->size; r++) {
		struct opt_mpi	 o = { .rank = r, .size = m->size };
		int64_t		 k = om_share(&o, rows, total, pts);

		om_place(rows, pts, all + at[r] / (int)sizeof *part,
		    k < count[r] / (int)sizeof *part ? k :
		    count[r] / (int)sizeof *part);
	}
	free(all);
	free(count);
	free(at);
	return rc;
}

int64_t
opt_mpi_grid(const struct opt_mpi *m, const struct opt_job *job,
    struct opt_row *rows, struct errmsg *err)
{
	int64_t		 total = job->space->npoints, done, sum = 0, n = 0;
	int64_t		*pts;
	struct opt_row	*part;
	int		 bad, anybad;

	if (!m->on)
		return om_alone(m, job, rows, err);
	pts = malloc((size_t)total * sizeof *pts);
	part = calloc((size_t)total, sizeof *part);
	done = pts == NULL || part == NULL ? errmsg_set(err, "out of memory") :
	    om_local(m, job, rows, pts, part, &n, err);
	bad = done == -1;
	MPI_Allreduce(&bad, &anybad, 1, MPI_INT, MPI_MAX, MPI_COMM_WORLD);
	if (anybad) {
		if (!bad)
			errmsg_set(err, "another process of the run failed");
		sum = -1;
	} else {
		MPI_Reduce(&done, &sum, 1, MPI_INT64_T, MPI_SUM, 0,
		    MPI_COMM_WORLD);
		if (om_gather(m, rows, total, part, n, pts, err) == -1)
			sum = -1;
	}
	free(pts);
	free(part);
	return sum;
}

/* How many of n points, shared i % size == rank, process rank takes. */
static int64_t
om_count(int64_t n, int rank, int size)
{
	return n > rank ? (n - rank + size - 1) / size : 0;
}

/*
 * Every process's rows of its share to every process, each put where
 * its points are in the list.  part holds this process's rows in order.
 */
static int
om_allgather(const struct opt_mpi *m, int64_t n, const struct opt_row *part,
    struct opt_row *rows, struct errmsg *err)
{
	int		*count = calloc((size_t)m->size, sizeof *count);
	int		*at = calloc((size_t)m->size, sizeof *at);
	struct opt_row	*all = malloc((size_t)n * sizeof *all + 1);
	int		 sum = 0, bad, anybad;

	bad = count == NULL || at == NULL || all == NULL;
	MPI_Allreduce(&bad, &anybad, 1, MPI_INT, MPI_MAX, MPI_COMM_WORLD);
	if (!anybad) {
		for (int r = 0; r < m->size; r++) {
			count[r] = (int)(om_count(n, r, m->size) *
			    (int64_t)sizeof *part);
			at[r] = sum;
			sum += count[r];
		}
		MPI_Allgatherv(part, count[m->rank], MPI_BYTE, all, count, at,
		    MPI_BYTE, MPI_COMM_WORLD);
		for (int r = 0; r < m->size; r++)
			for (int64_t k = 0; k < om_count(n, r, m->size); k++)
				rows[r + k * m->size] = all[at[r] /
				    (int)sizeof *part + k];
	}
	free(count);
	free(at);
	free(all);
	return anybad ? errmsg_set(err, "out of memory") : 0;
}

int64_t
opt_mpi_points(const struct opt_mpi *m, const struct opt_job *job,
    struct opt_row *rows, struct errmsg *err)
{
	int64_t		 n = job->npoints, k, done = -1, sum = -1;
	int64_t		*pts = malloc((size_t)n * sizeof *pts + 1);
	struct opt_row	*part = calloc((size_t)n + 1, sizeof *part);
	struct opt_job	 j = *job;
	int		 bad, anybad;

	if (!m->on) {
		free(pts);
		free(part);
		return opt_run(job, rows, err);
	}
	if (pts == NULL || part == NULL)
		errmsg_set(err, "out of memory");
	else {
		for (k = 0; m->rank + k * m->size < n; k++)
			pts[k] = job->points[m->rank + k * m->size];
		j.points = pts;
		j.npoints = k;
		done = k > 0 ? opt_run(&j, part, err) : 0;
	}
	bad = done == -1;
	MPI_Allreduce(&bad, &anybad, 1, MPI_INT, MPI_MAX, MPI_COMM_WORLD);
	if (anybad) {
		if (!bad)
			errmsg_set(err, "another process of the run failed");
	} else {
		MPI_Allreduce(&done, &sum, 1, MPI_INT64_T, MPI_SUM,
		    MPI_COMM_WORLD);
		if (om_allgather(m, n, part, rows, err) == -1)
			sum = -1;
	}
	free(pts);
	free(part);
	return sum;
}

#else

int
opt_mpi_init(struct opt_mpi *m, int *argc, char ***argv, struct errmsg *err)
{
	memset(m, 0, sizeof *m);
	m->size = 1;
	return 0;
}

void
opt_mpi_finish(struct opt_mpi *m)
{
	m->on = false;
}

int64_t
opt_mpi_grid(const struct opt_mpi *m, const struct opt_job *job,
    struct opt_row *rows, struct errmsg *err)
{
	return om_alone(m, job, rows, err);
}

int64_t
opt_mpi_points(const struct opt_mpi *m, const struct opt_job *job,
    struct opt_row *rows, struct errmsg *err)
{
	(void)m;
	return opt_run(job, rows, err);
}

#endif
