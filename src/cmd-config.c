/*
 * cmd-config.c -- `tickdesk config`: check a configuration file and show
 * the keys it may hold.
 *
 * `config check` loads the file exactly as every other command does
 * (settings_load_env, with --env or $TICKDESK_ENV laid over it) and
 * prints the effective configuration, defaults filled in, in the syntax
 * of the file, so it can be saved and read back; a secret shows where it
 * comes from and "********", never its value.  With
 * problems it prints all of them, one "FILE:LINE: KEY: problem" line each,
 * and exits 2.  `config keys` prints the settings table, then the
 * parameters of every strategy: the same rows tickdesk.conf(5) documents.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "errmsg.h"
#include "settings.h"
#include "strategy.h"
#include "suggest.h"


static int
cmd_config_check(int argc, char **argv)
{
	enum { O_ENV = 256 };
	static const struct option longopts[] = {
		{ "config", required_argument, NULL, 'c' },
		{ "env", required_argument, NULL, O_ENV },
		{ NULL, 0, NULL, 0 },
	};
	struct settings	*st;
	struct strat_registry *reg;	/* the plug-ins' tables */
	struct errmsg	 err;
	const char	*file = NULL, *env = NULL;
	int		 ch, rc;

	optind = 1;
	while ((ch = getopt_long(argc, argv, "c:", longopts, NULL)) != -1) {
		switch (ch) {
		case 'c':
			file = optarg;
			break;
		case O_ENV:
			env = optarg;
			break;
		default:
			return cmd_usage(&cmd_config_entry);
		}
	}
	if (optind != argc)
		return cmd_usage(&cmd_config_entry);

	if ((rc = cmd_settings(file, env, &st)) != EXIT_OK)
		return rc;
	if ((reg = settings_strategies(st, &err)) == NULL) {
		fprintf(stderr, "tickdesk: %s\n", err.msg);
		rc = EXIT_USAGE;
	} else if (settings_print(stdout, st) == -1) {
		fprintf(stderr, "tickdesk: config check: write failed\n");
		rc = EXIT_RUNTIME;
	}
	strat_registry_free(reg);	/* the plug-ins' parameters printed */
	free(st);
	return rc;
}

/* The default of a row as `config keys` shows it. */
static const char *
cmd_config_default(const struct settings_key *key)
{
	if (key->def == NULL)
		return key->type == SETTINGS_GROUP ? "-" : "(required)";
	if (key->def[0] != '\0')
		return key->def;
	switch (key->type) {
	case SETTINGS_LIST:
		return "()";
	case SETTINGS_DATES:
	case SETTINGS_CLOSES:
	case SETTINGS_WORDS:
		return "[]";
	case SETTINGS_PARAMS:
		return "{}";
	default:
		return "\"\"";
	}
}

static int
cmd_config_keys(int argc, char **argv)
{
	const struct settings_key		*key;
	const struct strat_registry		*reg = strat_registry_builtin();
	char					 range[256], path[128];
	char					 def[STRAT_STRING_MAX + 8];

	(void)argv;
	if (argc != 1)
		return cmd_usage(&cmd_config_entry);
	for (key = settings_table(); key->path != NULL; key++) {
		printf("%-36s %-8s %-16s %-16s %-12s %s\n", key->path,
		    settings_type_name(key->type), cmd_config_default(key),
		    settings_key_range(key, range, sizeof range),
		    key->unit != NULL ? key->unit : "-", key->text);
	}
	/* A strategy's parameters live in its params group. */
	for (int i = 0; i < strat_registry_count(reg); i++) {
		const struct strategy_ops *ops = strat_registry_at(reg, i);
		const struct strat_param *p = ops->params;

		for (int k = 0; p[k].name != NULL; k++) {
			snprintf(path, sizeof path, "%s.%s", ops->name,
			    p[k].name);
			strat_param_format(&p[k], p[k].def, p[k].def_text,
			    def, sizeof def);
			if (p[k].type == STRAT_PARAM_STRING)
				snprintf(def, sizeof def, "\"%s\"",
				    p[k].def_text != NULL ? p[k].def_text :
				    "");
			printf("%-36s %-8s %-16s %-16s %-12s %s\n", path,
			    strat_param_type_name(p[k].type), def,
			    strat_param_range(&p[k], range, sizeof range),
			    p[k].unit != NULL ? p[k].unit : "-", p[k].text);
		}
	}
	return fflush(stdout) == 0 ? EXIT_OK : EXIT_RUNTIME;
}

static int
cmd_config_exec(int argc, char **argv)
{
	struct suggest	 sg;

	if (argc < 2)
		return cmd_usage(&cmd_config_entry);
	if (strcmp(argv[1], "check") == 0)
		return cmd_config_check(argc - 1, argv + 1);
	if (strcmp(argv[1], "keys") == 0)
		return cmd_config_keys(argc - 1, argv + 1);
	suggest_init(&sg, argv[1]);
	suggest_add(&sg, "check");
	suggest_add(&sg, "keys");
	if (suggest_best(&sg) != NULL)
		fprintf(stderr, "tickdesk: config: unknown action '%s'; did you "
		    "mean '%s'?\n", argv[1], suggest_best(&sg));
	else
		fprintf(stderr, "tickdesk: config: unknown action '%s'\n",
		    argv[1]);
	return cmd_usage(&cmd_config_entry);
}

/* What --help says of each option. */
static const struct cmd_option cmd_config_options[] = {
	{ "-c, --config FILE",
	    "check FILE (else $TICKDESK_CONFIG, else conf/tickdesk.cfg)" },
	{ "--env NAME",
	    "lay the environment env/NAME.cfg over it (else "
	    "$TICKDESK_ENV)" },
	{ NULL, NULL },
};

const struct cmd_entry cmd_config_entry = {
	.name = "config",
	.usage = "check [-c FILE] [--env NAME]\nkeys",
	.summary = "check the configuration or list its keys",
	.help = "'config check' reads the configuration file (-c FILE, else "
	    "$TICKDESK_CONFIG, else\n./conf/tickdesk.cfg, else "
	    "$XDG_CONFIG_HOME/tickdesk/tickdesk.cfg, else the installed\n"
	    "tickdesk.cfg) with the environment env/NAME.cfg beside it laid "
	    "over it (--env\nNAME, else $TICKDESK_ENV), reports every problem "
	    "as FILE:LINE: KEY: problem and\nexits 2, or prints the effective "
	    "configuration with every default filled in and\nsecrets masked.  "
	    "'config keys' lists every key with its type, default, range,\n"
	    "unit and description, and the parameters of each strategy as "
	    "TYPE.PARAM.\ntickdesk.conf(5) describes them.",
	.options = cmd_config_options,
	.exec = cmd_config_exec,
};
