/*
 * opt-mpi.h -- tickdesk optimize's work shared by the processes of an
 * mpirun, on one machine or many, when tickdesk is built --with-mpi.
 *
 * A grid: each process backtests the points p of the grid with
 * p % size == rank, on its own threads, and rank 0 gathers every row;
 * only rank 0 reports.  A genetic search: every process runs the same
 * search from the same seed, and each generation's new points are shared
 * the same way by their place in the generation, every process getting
 * every row, so that all breed the same next generation.  Built without
 * MPI, or run without mpirun, there is one process of rank 0 and the
 * work is its own.  The rows are the same as a run on one process, bit
 * for bit.
 */
#ifndef TD_OPT_MPI_H
#define TD_OPT_MPI_H

#include <stdbool.h>

#include "opt-run.h"

struct opt_mpi {
	bool		 on;		/* MPI_Init was called */
	int		 rank;
	int		 size;
};

/* Join the processes of an mpirun, if tickdesk runs under one. */
int		 opt_mpi_init(struct opt_mpi *m, int *argc, char ***argv,
		    struct errmsg *err);
void		 opt_mpi_finish(struct opt_mpi *m);

/*
 * This process's share of the grid's points not done in rows, then (on
 * rank 0) every process's rows in rows.  The points done by all, or -1
 * with a message (on any process when one failed).
 */
int64_t		 opt_mpi_grid(const struct opt_mpi *m, const struct opt_job *job,
		    struct opt_row *rows, struct errmsg *err);
/*
 * job->points shared: process rank backtests points[i] for i % size ==
 * rank, and every process gets every row in rows (as opt_run fills
 * them).  The points done by all, the same on every process, or -1 with
 * a message (on any process when one failed).
 */
int64_t		 opt_mpi_points(const struct opt_mpi *m,
		    const struct opt_job *job, struct opt_row *rows,
		    struct errmsg *err);

#endif
