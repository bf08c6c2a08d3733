/*
 * report-results.h -- `tickdesk report --results`: the runs an
 * optimisation kept (`optimize --store`, core/opt-store.h), as text.
 */
#ifndef TD_REPORT_RESULTS_H
#define TD_REPORT_RESULTS_H

#include <stdint.h>
#include <stdio.h>

/*
 * The runs of the file at path (run 0), or run's best top points, to
 * out; an exit status, after saying what went wrong.
 */
int	report_results(const char *path, int64_t run, int64_t top, FILE *out);

#endif
