/*
** import_report.c: the report of a WordPress import, as it is kept while
** the import runs and as it is printed (see import.h and import_int.h).
*/
#include <stdio.h>
#include <string.h>

#include "import.h"
#include "import_int.h"
#include "sanitize.h"

void report_reason(import_report *r, import_row row, int skip, const char *text,
                   const char *wp_id) {
  import_reason *x = NULL;
  for (int i = 0; i < r->nreasons && !x; i++)
    if (r->reasons[i].row == row && r->reasons[i].text == text) x = &r->reasons[i];
  if (!x && r->nreasons == IMPORT_REASONS_MAX) {
    r->reasons_lost++;
    return;
  }
  if (!x) {
    x = &r->reasons[r->nreasons++];
    *x = (import_reason){.row = row, .skip = skip, .text = text};
  }
  x->count++;
  if (wp_id && *wp_id && x->nexamples < IMPORT_EXAMPLES)
    snprintf(x->examples[x->nexamples++], sizeof x->examples[0], "%s", wp_id);
}

void report_skip(import_report *r, import_row row, const char *text, const char *wp_id) {
  r->rows[row].skipped++;
  report_reason(r, row, 1, text, wp_id);
}

void report_sanitized(import_report *r, const sanitize_report *s) {
  r->removed_elements += s->elements;
  r->removed_attributes += s->attributes;
  r->removed_urls += s->urls;
  r->removed_frames += s->embeds;
  r->unknown_shortcodes += s->shortcodes;
  for (size_t i = 0; i < s->name_count; i++) {
    int k = 0;
    while (k < r->nshortcodes && strcmp(r->shortcodes[k].name, s->names[i].name)) k++;
    if (k == r->nshortcodes) {
      if (k == IMPORT_SHORTCODES_SHOWN) continue;
      snprintf(r->shortcodes[k].name, sizeof r->shortcodes[k].name, "%s", s->names[i].name);
      r->shortcodes[k].count = 0;
      r->nshortcodes++;
    }
    r->shortcodes[k].count += s->names[i].count;
  }
}

/* The rows' names, as printed. */
static const char *const ROW_NAMES[ROW_COUNT] = {
    "authors", "categories", "tags", "articles", "pages", "comments", "attachments",
    "old addresses", "other items"};

/* Prints the reasons that are skips (skip set) or notes. */
static void print_reasons(const import_report *r, int skip, FILE *out) {
  int any = 0;
  for (int i = 0; i < r->nreasons; i++) {
    const import_reason *x = &r->reasons[i];
    if (x->skip != skip) continue;
    if (!any++) fprintf(out, "\n%s\n", skip ? "skipped:" : "notes:");
    fprintf(out, "  %-13s %6ld  %s", ROW_NAMES[x->row], x->count, x->text);
    for (int k = 0; k < x->nexamples; k++)
      fprintf(out, "%s%s", k ? ", " : " (WordPress ids: ", x->examples[k]);
    if (x->nexamples) fprintf(out, "%s)", x->count > x->nexamples ? ", ..." : "");
    fputc('\n', out);
  }
}

/* Prints the pictures: featured ones, those of the texts, the files found
** missing, and what the picture library took. */
static void print_pictures(const import_report *r, FILE *out) {
  fprintf(out, "\npictures%s:\n",
          r->checked_files ? "" : " (without --uploads, none is taken into the library)");
  fprintf(out, "  featured pictures     %6ld  (%ld with their attachment in the export)\n",
          r->featured, r->featured_found);
  fprintf(out, "  pictures in texts     %6ld  (%ld on other sites)\n", r->body_pictures,
          r->remote_pictures);
  if (!r->checked_files) return;
  fprintf(out, "  files checked         %6ld  in the uploads folder; %ld missing", r->checked_files,
          r->missing_files);
  for (int i = 0; i < r->nmissing; i++) fprintf(out, "%s%s", i ? ", " : ": ", r->missing[i]);
  fprintf(out, "%s\n", r->missing_files > r->nmissing ? ", ..." : "");
  if (r->dry_run) return;
  fprintf(out, "  taken into the library %5ld  (%ld refused: not a picture it takes",
          r->pictures_taken, r->pictures_refused);
  for (int i = 0; i < r->nrefused; i++) fprintf(out, "%s%s", i ? ", " : ": ", r->refused[i]);
  fprintf(out, "%s)\n", r->pictures_refused > r->nrefused ? ", ..." : "");
  fprintf(out, "  featured pictures given %4ld  texts pointed to the library %ld\n",
          r->featured_given, r->texts_pointed);
}

void import_report_print(const import_report *r, const char *file, FILE *out) {
  fprintf(out, "%s %s (WXR %s, %s): %ld items in %.1f s (%.0f items/s)\n",
          r->dry_run ? "checked" : "imported", file, r->version, r->site, r->items, r->seconds,
          r->seconds > 0 ? (double)r->items / r->seconds : 0.0);
  fprintf(out, "\n  %-13s %8s %8s %10s %8s\n", "", "created", "updated", "unchanged", "skipped");
  for (int i = 0; i < ROW_COUNT; i++) {
    const import_tally *t = &r->rows[i];
    fprintf(out, "  %-13s %8ld %8ld %10ld %8ld\n", ROW_NAMES[i], t->created, t->updated,
            t->unchanged, t->skipped);
  }
  fprintf(out, "\n  comments written: %ld approved, %ld held for moderation, %ld spam\n",
          r->comments_by_status[0], r->comments_by_status[1], r->comments_by_status[2]);
  if (r->links_rewritten)
    fprintf(out, "  links to the old site rewritten to their new address: %ld\n", r->links_rewritten);
  print_reasons(r, 1, out);
  print_reasons(r, 0, out);
  if (r->reasons_lost) fprintf(out, "  (and %ld more of other kinds)\n", r->reasons_lost);
  print_pictures(r, out);
  fprintf(out, "\nremoved from the texts: %ld elements, %ld attributes, %ld addresses, %ld frames\n",
          r->removed_elements, r->removed_attributes, r->removed_urls, r->removed_frames);
  if (r->unknown_shortcodes) {
    fprintf(out, "unknown shortcodes kept as text: %ld", r->unknown_shortcodes);
    for (int i = 0; i < r->nshortcodes; i++)
      fprintf(out, "%s[%s] %ld", i ? ", " : " (", r->shortcodes[i].name, r->shortcodes[i].count);
    fprintf(out, "%s\n", r->nshortcodes ? ")" : "");
  }
  if (r->dry_run) fprintf(out, "\ndry run: nothing was written.\n");
}
