/*
 * fuzz-desk.c -- the trader's command line (src/desk.h): what a person
 * types at the console, or sends through the control socket.
 *
 * Each input is a session: its lines, one command each, run in order by
 * desk_exec against a real engine (ES and MES, SimpleORB, the risk limits
 * on), with a 1-minute bar of each instrument after every line so that
 * orders fill and time moves; completion is asked for on every line too.
 * Nothing a line says may crash the engine or the desk, and a refused
 * command must leave the engine able to go on.
 */
#include "desk.h"
#include "engine.h"
#include "errmsg.h"
#include "snapshot.h"
#include "venue-sim.h"

#include "fuzz.h"

#define FUZZ_LINES	32

static void
fuzz_engine_config(struct engine_config *cfg)
{
	struct calendar_cfg	*cal = &cfg->cal[0];
	struct strategy_cfg	*sc = &cfg->strat[0];

	engine_config_defaults(cfg);
	cfg->ninst = 2;
	for (int i = 0; i < 2; i++) {
		struct instrument	*in = &cfg->inst[i];

		snprintf(in->symbol, sizeof in->symbol, "%s",
		    i == 0 ? "ES" : "MES");
		in->tick_size = 250000000;
		in->point_value = i == 0 ? 5000 : 500;
		in->commission = i == 0 ? 62 : 35;
		if (instrument_init(in, NULL) == -1)
			abort();
	}
	cfg->ncal = 1;
	snprintf(cal->name, sizeof cal->name, "cme-equity");
	snprintf(cal->tz, sizeof cal->tz, "America/New_York");
	snprintf(cal->roll_tz, sizeof cal->roll_tz, "America/Chicago");
	cal->rth_open = 9 * 60 + 30;
	cal->rth_close = 16 * 60;
	cal->eth_open = 18 * 60;
	cal->eth_close = 17 * 60;
	cal->day_roll = 17 * 60;
	cfg->nstrat = 1;
	snprintf(sc->name, sizeof sc->name, "orb");
	snprintf(sc->type, sizeof sc->type, "orb");
	snprintf(sc->symbol, sizeof sc->symbol, "ES");
	sc->enabled = true;
	sc->params[0] = 30;
	sc->params[1] = 8;
	sc->params[2] = 16;
	sc->params[3] = 15;
	cfg->risk.daily_loss = 100000;
	cfg->risk.weekly_loss = 250000;
	cfg->risk.max_trade_risk = 50000;
	cfg->risk.max_positions = 2;
	cfg->risk.max_contracts = 4;
	cfg->risk.throttle_orders = 20;
	cfg->risk.throttle_window = 60 * TD_NS_PER_SEC;
	cfg->risk.collar_ticks = 40;
	cfg->risk.flatten_on_breach = true;
}

static struct engine_config	 cfg;

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	fuzz_engine_config(&cfg);
	return 0;
}

/* One bar of each instrument at minute m of the session; byte moves it. */
static void
fuzz_market(struct engine *e, td_ns t, uint8_t move, td_ticks *px)
{
	struct errmsg	 err;
	struct td_md	 md;

	for (int i = 0; i < 2; i++) {
		td_ticks	 o = px[i], c = o + (move % 9) - 4;

		md = (struct td_md){
			.kind = TD_MD_BAR,
			.inst = i,
			.bar = {
				.start = t,
				.end = t + TD_NS_PER_MIN,
				.open = o,
				.high = (o > c ? o : c) + (move >> 4 & 3),
				.low = (o < c ? o : c) - (move >> 6 & 3),
				.close = c,
				.volume = 100,
			},
		};
		if (engine_on_market(e, &md, &err) == -1)
			abort();	/* the engine refused good data */
		px[i] = c;
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct runner_reply	 reply;
	static struct snapshot		*snap;
	struct snapshot_sizes		 sz;
	struct desk_words		 words;
	struct errmsg			 err;
	struct venue_sim_cfg		 vc = { .bar_path = SIM_STOP_FIRST,
					     .max_orders = 1024 };
	struct engine_deps		 deps = { .venue = NULL };
	struct engine			*e;
	struct desk			*desk;
	char				 line[RUNNER_LINE_MAX];
	td_ticks			 px[2] = { 19200, 19200 };
	/* 2024-03-05 09:45 New York: a Tuesday session, EST. */
	td_ns				 t = 1709649900LL * TD_NS_PER_SEC;
	size_t				 i = 0, n;
	int				 lines = 0;

	if ((deps.venue = venue_sim_create(&vc, &err)) == NULL ||
	    (e = engine_create(&cfg, &deps, &err)) == NULL ||
	    (desk = desk_create("fuzzer", SNAP_PAPER, &err)) == NULL) {
		fprintf(stderr, "fuzz-desk: %s\n", err.msg);
		abort();
	}
	fuzz_market(e, t, 0, px);
	t += TD_NS_PER_MIN;
	while (i < size && lines++ < FUZZ_LINES) {
		for (n = 0; i < size && data[i] != '\n'; i++) {
			if (n < sizeof line - 1)
				line[n++] = (char)data[i];
		}
		line[n] = '\0';
		i++;			/* the newline */
		memset(&reply, 0, sizeof reply);
		desk_exec(desk, NULL, e, line, &reply);
		if (memchr(reply.text, '\0', sizeof reply.text) == NULL)
			abort();	/* an unterminated reply */
		engine_snapshot_sizes(e, &sz);
		if ((snap == NULL && (snap = snapshot_create(NULL,
		    &err)) == NULL) || (!snapshot_holds(snap, &sz) &&
		    snapshot_resize(snap, &sz, &err) == -1)) {
			fprintf(stderr, "fuzz-desk: %s\n", err.msg);
			abort();
		}
		if (engine_snapshot(e, snap) == -1)
			abort();	/* sized as the engine asked */
		desk_complete(snap, line, n, &words);
		desk_complete(NULL, line, n / 2, &words);
		fuzz_market(e, t, n > 0 ? (uint8_t)line[0] : 0, px);
		t += TD_NS_PER_MIN;
	}
	desk_free(desk);
	engine_finish(e, engine_now(e));
	engine_free(e);
	return 0;
}
