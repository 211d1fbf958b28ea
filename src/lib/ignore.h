/*
 * ignore.h - .trouveignore files: gitignore-style patterns that leave
 * files and folders out of the walk.
 *
 * A .trouveignore file may sit in any folder of the tree; its patterns
 * apply to what is under that folder, paths taken relative to it, also
 * when a folder below it is the one given to index (the walk reads the
 * files of the folders above a root too, so the answer does not depend on
 * which folder was given).  One pattern per line, as in .gitignore:
 *
 *   # comment          a line starting with '#' (write \# for a '#')
 *   *.log              no '/' inside: matches the name at any depth
 *   /drafts            a leading '/' anchors to the file's folder
 *   notes/old          a '/' inside anchors too (a path, not a name)
 *   build/             a trailing '/' matches folders only
 *   !keep.md           '!' re-includes what an earlier pattern left out
 *                      (write \! for a '!'); a file under a left-out
 *                      folder cannot be re-included (the folder is not
 *                      entered)
 *   **                 next to slashes, any folders (zero or more):
 *                      "** /x" is x at any depth, "x/ **" all inside x,
 *                      "a/ ** /b" b under a at any depth (written here
 *                      with spaces, which a C comment needs); elsewhere
 *                      ** is *
 *   * ? [a-z] [!a-z]   globs that never match '/'; \ quotes the next
 *                      character; trailing spaces are dropped unless
 *                      quoted
 *
 * The last pattern that matches decides; a deeper .trouveignore decides
 * before the ones above it.  Matching is by bytes, case-sensitive.  A
 * UTF-8 byte order mark at the start of the file is skipped, as git does.
 */
#ifndef TROUVE_IGNORE_H
#define TROUVE_IGNORE_H

#include <stddef.h>

#define IGNORE_FILE "trouveignore" /* after the dot: ".trouveignore" */
#define IGNORE_FILE_MAX (1 << 20)  /* bytes read of one ignore file */

typedef struct ignore_pattern {
    char *glob;       /* the pattern, without '!', leading or trailing '/' */
    unsigned flags;   /* IGNORE_* below */
} ignore_pattern_t;

#define IGNORE_NEGATE   (1u << 0) /* "!pattern": re-include */
#define IGNORE_DIR_ONLY (1u << 1) /* "pattern/": folders only */
#define IGNORE_ANCHORED (1u << 2) /* has a '/': matches the whole path */

typedef struct ignore_list {
    ignore_pattern_t *v;
    size_t n, cap;
} ignore_list_t;

/* Parses the text of an ignore file, appending its patterns to *list.
 * Returns 0, or -1 when memory ran out (what was added stays). */
int ignore_parse(ignore_list_t *list, const char *text, size_t len);

/* What the list says of `path` (relative to the ignore file's folder,
 * '/'-separated, no leading '/'), a folder when `is_dir`: 1 left out,
 * 0 re-included by a '!' pattern, -1 no pattern matches. */
int ignore_match(const ignore_list_t *list, const char *path, int is_dir);

void ignore_free(ignore_list_t *list);

/* 1 if the glob (gitignore syntax, see above) matches the whole of
 * `text`; '*' and '?' never match '/'. */
int ignore_glob(const char *glob, const char *text);

#endif
