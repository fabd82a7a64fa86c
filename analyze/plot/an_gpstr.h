/*
 * an_gpstr.h - strings from a trace, made safe to place in a gnuplot script.
 *
 * gnuplot runs `commands` inside double-quoted strings, expands @macros
 * outside strings, joins a line ending in a backslash (even inside a quoted
 * string or a comment) with the next one, and pipes file names starting
 * with '<' (plot) or '|' (set output) through a shell.  Text from a trace
 * therefore reaches a script only through an_gp_str(): single-quoted
 * pieces that never hold ` @ \ or a control byte, joined with "\ooo" octal
 * escapes for those bytes, so the expression evaluates to exactly the input.
 */
#ifndef AN_GPSTR_H
#define AN_GPSTR_H

#include <stddef.h>
#include <stdio.h>

#define AN_GP_TEXT_MAX 160	/* characters of display text kept, at most */

/*
 * Copies s[0..n) as display text into out (outlen bytes, NUL-terminated):
 * valid UTF-8 (an invalid byte becomes U+FFFD), control characters, line
 * and paragraph separators become spaces, bidirectional overrides and
 * zero-width characters are dropped, a run of characters the figure's
 * fonts cannot draw (emoji and symbols outside the font, with their
 * joiners and modifiers) becomes one U+25A1 (white square), leading and
 * trailing spaces are dropped, and at most max_chars characters are kept
 * (the last one "..." when cut).  outlen >= 4 * max_chars + 4 keeps
 * every character.  Returns the length written.
 */
size_t an_gp_clean(const char *s, size_t n, size_t max_chars, char *out, size_t outlen);

/*
 * Writes s[0..n) as a gnuplot string expression evaluating to exactly
 * those bytes: 'abc' pieces (a quote doubled) joined by '.' to "\ooo"
 * pieces for ` @ \, control bytes and bytes that are not valid UTF-8.
 * The empty string is ''.  Returns 0, or EOF on a write error.
 */
int an_gp_str(FILE *f, const char *s, size_t n);

/* an_gp_clean(s, n, max_chars) then an_gp_str(); max_chars <= AN_GP_TEXT_MAX. */
int an_gp_text(FILE *f, const char *s, size_t n, size_t max_chars);

/*
 * Writes path as a gnuplot string expression that is safe as a file name
 * in plot and set output: a relative path gets a leading "./" so that it
 * never starts with '<', '|', '-', '+', '~' or '$'.  Returns 0 or EOF.
 */
int an_gp_path(FILE *f, const char *path);

/*
 * Writes path for a POSIX shell command line the user may copy: as is when
 * it holds only [A-Za-z0-9_./:,+=%@-] and does not start with '-', else in
 * single quotes ('\'' for a quote); control bytes are shown as '?'.
 */
void an_sh_quote(FILE *f, const char *path);

/* Writes s with every control byte shown as '?' (file names in messages). */
void an_put_visible(FILE *f, const char *s);

#endif /* AN_GPSTR_H */
