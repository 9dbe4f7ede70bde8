/* tui.h - state shared by the screen's parts (the files of tui/). */
#ifndef TUI_TUI_H
#define TUI_TUI_H

#include "box.h"
#include "cli.h"
#include "graph.h"
#include "theme.h"

#include <curses.h>
#include <stdbool.h>

enum lower_pane { LOWER_GRAPHS, LOWER_DETAIL, LOWER_NONE, LOWER_COUNT };

/* Columns of the list pane, in screen order. */
enum col_id {
	COL_NAME, COL_STATUS, COL_PID, COL_IP, COL_CPU, COL_MEM, COL_NET,
	COL_IO, COL_PIDS, COL_UPTIME, COL_IMAGE, COL_COUNT
};

/* Work that runs off the UI thread. */
enum worker_op {
	OP_NONE, OP_START, OP_STOP, OP_RESTART, OP_FREEZE, OP_THAW, OP_KILL,
	OP_REMOVE, OP_CREATE, OP_BATCH
};

struct worker_task {
	char name[BOX_NAME_MAX + 1];
	enum worker_op op;
};

struct worker;  /* worker.c */

struct tui_opts {
	int delay;              /* tenths of a second */
	int stop_time;          /* -t: seconds a stop waits before SIGKILL */
	long max_iter;          /* -n: refreshes before exit, 0 = forever */
	bool readonly;
	bool ascii;             /* --ascii: no braille, block or line drawing */
	bool no_color;
	char theme[256];
	enum graph_style graph;
	enum lower_pane lower;
};

struct tui {
	struct cli *cli;
	struct box_ctx *ctx;
	struct box_stats *stats;
	struct tui_opts o;
	struct theme theme;
	bool color;             /* colour pairs in use */
	bool utf8;              /* the locale is UTF-8 */
	bool frozen_display;    /* Z */
	int span;               /* z: the graphs' time span, graph_span_secs */
	bool quit;
	const char *fctx;       /* function bar context in front, NULL: main */

	/* the snapshot of the last sample and the view over it */
	const struct box_stat_row *rows;
	size_t nrows;
	size_t *view;           /* indices into rows, filtered and sorted */
	size_t nview, view_cap;
	char sel_name[BOX_NAME_MAX + 1];
	int sel, top;
	char **tags;            /* tagged names */
	size_t ntags;
	enum col_id sort_col;
	bool sort_desc;
	char filter[64];
	int last_signal;

	char msg[300];
	bool msg_err;
	long msg_until_ms;
	long busy_note_until_ms;        /* a key was refused: the worker is busy */

	int lines, cols;
	WINDOW *w_header, *w_list, *w_lower, *w_status, *w_fkeys;
	int list_h, lower_h;
	int list_y;             /* screen row of the first list row */

	struct worker *worker;
	/* detail pane cache */
	char detail_name[BOX_NAME_MAX + 1];
	char *detail_cfg;       /* box_config_text */
	long detail_cfg_ms;
	struct box_proc *procs;
	size_t nprocs;
	long procs_ms;
	struct box_net_iface *ifaces;   /* box_net_ifaces, with the config */
	size_t nifaces;
	int detail_scroll;      /* [ ]: first config line shown */
};

/* tui.c */
long tui_now_ms(void);
void tui_message(struct tui *t, bool error, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
void tui_draw(struct tui *t);
void tui_layout(struct tui *t);
/* The selected row, NULL when the list is empty. */
const struct box_stat_row *tui_selected(struct tui *t);
/* Wait for a key on win with the timer still running: samples and redraws
 * the screen underneath while waiting.  Returns the key (KEY_* or a wide
 * char) and sets *is_key for function keys. */
int tui_getkey(struct tui *t, WINDOW *win, bool *is_key);
/* The same, returning ERR after each refresh tick too. */
int tui_getkey_tick(struct tui *t, WINDOW *win, bool *is_key);
void tui_sample(struct tui *t);
/* Run an action on the tagged containers (else the selected one) in the
 * worker: op chosen per row by pick, or a fixed op. */
void tui_act(struct tui *t, const char *label,
	     enum worker_op (*pick)(const struct box_stat_row *r, void *arg),
	     void *arg, int sig);
void tui_act_op(struct tui *t, const char *label, enum worker_op op, int sig);

/* actions.c */
/* False, after saying so in the status line, in read-only mode. */
bool tui_may_act(struct tui *t);
/* false (with a message) in --readonly mode or while the worker is busy */
bool tui_writable(struct tui *t);
/* worker_run* refused: say why on the status line (busy, else no thread). */
void tui_worker_refused(struct tui *t);
/* "N tagged: a, b, c, ..." or the one name, of the rows an action would
 * take (tui_targets); false when there is none. */
size_t tui_targets(struct tui *t, struct worker_task **out);
void tui_targets_text(struct tui *t, const struct worker_task *tk, size_t n,
		      char *buf, size_t len);
void tui_act_startstop(struct tui *t);  /* s */
void tui_act_freeze(struct tui *t);     /* p */
void tui_remove_selected(struct tui *t);        /* x, Delete */
void tui_kill_now(struct tui *t);       /* Ctrl-K */
void tui_connect_terminal(struct tui *t, bool exec);    /* a, e */

/* options.c: 0 ok, 2 usage error (printed), 1 after --help (printed). */
int tui_parse_opts(struct tui_opts *o, int argc, char **argv);

/* term_check.c: TERM has a terminfo entry (checked before newterm, whose
 * failure path leaks inside ncurses). */
bool term_known(void);

/* list_pane.c */
extern const char *const col_titles[COL_COUNT];
void list_rebuild_view(struct tui *t);
void list_draw_header(struct tui *t);
void list_draw(struct tui *t);
bool list_is_tagged(const struct tui *t, const char *name);
void list_toggle_tag(struct tui *t, const char *name);
void list_untag_all(struct tui *t);
/* Row index under screen line y, or -1; column under x of the titles. */
int list_row_at(struct tui *t, int y);
int list_col_at(struct tui *t, int x);

/* detail_pane.c */
void detail_draw(struct tui *t, WINDOW *w);
void detail_forget(struct tui *t);

/* graph_pane.c */
void graph_pane_draw(struct tui *t, WINDOW *w);

/* fkeys.c */
void fkeys_draw(struct tui *t, const char *context);
/* The key a click at column x of the function bar means, or 0. */
int fkeys_key_at(struct tui *t, const char *context, int x);
void help_show(struct tui *t);
/* Box drawing that honours --ascii. */
void tui_box(struct tui *t, WINDOW *w);
void tui_hline(struct tui *t, WINDOW *w, int y, int x, int n);

/* dialog.c */
struct form_field {
	const char *label;
	char value[128];
	const char *const *choices;     /* Left/Right cycles them; NULL: free text */
	size_t nchoices;
};
/* Edit fields; returns true on Enter, false on Esc.  validate (may be
 * NULL) returns NULL when fine or an error text shown inside the dialog. */
bool dialog_form(struct tui *t, const char *title, struct form_field *f,
		 size_t n, const char *(*validate)(struct tui *t,
						   struct form_field *f,
						   char *buf, size_t len));
bool dialog_confirm(struct tui *t, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* A vertical menu; returns the chosen index or -1. */
int dialog_menu(struct tui *t, const char *title, const char *const *items,
		size_t n, int preselect);
void dialog_filter(struct tui *t);
void dialog_create(struct tui *t);
void dialog_batch(struct tui *t);
void dialog_signal(struct tui *t);
void dialog_all(struct tui *t);
void dialog_delay(struct tui *t);
void dialog_sort(struct tui *t);
void dialog_net(struct tui *t);         /* w: net_dialog.c */
void dialog_import(struct tui *t);      /* i: image_dialog.c */

/* worker.c */
struct worker *worker_new(void);
void worker_free(struct worker *w);
/* Seconds a stop (s, r, Stop all) waits after SIGTERM before SIGKILL. */
void worker_set_grace(struct worker *w, int secs);
bool worker_busy(struct worker *w);
/* Start tasks (copied) in a thread with its own box_ctx on root. */
int worker_run(struct worker *w, const char *root, const char *label,
	       struct worker_task *tasks, size_t n, int sig);
int worker_run_create(struct worker *w, const char *root,
		      const struct box_create_opts *o, bool start);
int worker_run_batch(struct worker *w, const char *root, const char *base,
		     size_t count, const char *base_ip,
		     const struct box_create_opts *tmpl);
/* Import image name from source (box_image_import) in the thread. */
int worker_run_import(struct worker *w, const char *root, const char *name,
		      const char *source);
/* Progress for the status line: returns false when idle; *bytes: done and
 * total count bytes (total 0: not known yet), else containers.  When a run
 * has just finished, *finished is set and msg holds its result (once). */
bool worker_progress(struct worker *w, size_t *done, size_t *total,
		     bool *bytes, char *label, size_t llen, bool *finished,
		     bool *failed, char *msg, size_t mlen);

/* logview.c */
void logview_show(struct tui *t, const char *name);

/* imageview.c */
void imageview_show(struct tui *t);     /* v */

/* setup.c */
void setup_load_rc(struct tui_opts *o);
void setup_show(struct tui *t);
int setup_apply_theme(struct tui *t, const char *name);

#endif
