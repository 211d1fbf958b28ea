/*
 * search_folder.c - index a folder, then search it: libtrouve from C.
 *
 *   cc search_folder.c $(pkg-config --cflags --libs trouve) -o search_folder
 *   ./search_folder INDEX FOLDER QUERY
 *
 * tests/cli/install.bats builds it against the installed header and runs
 * it; README.md shows it.
 */
#include <stdio.h>
#include <stdlib.h>
#include <trouve.h>

int main(int argc, char **argv)
{
    if (argc != 4) {
        fprintf(stderr, "usage: %s INDEX FOLDER QUERY\n", argv[0]);
        return 2;
    }
    trouve_index_t *index;
    char *message;

    /* Index the folder (again: only what changed is read). */
    trouve_status_t status =
        trouve_index_open(argv[1], TROUVE_OPEN_WRITE, &index, &message);
    if (status != TROUVE_STATUS_OK) {
        fprintf(stderr, "search_folder: %s\n",
                message ? message : trouve_status_to_string(status));
        free(message);
        return 2;
    }
    const char *folders[] = {argv[2]};
    trouve_index_summary_t summary;
    status = trouve_index_paths(index, folders, 1, NULL, &summary);
    if (status != TROUVE_STATUS_OK) {
        fprintf(stderr, "search_folder: %s\n", trouve_index_message(index));
        trouve_index_close(index);
        return 2;
    }
    printf("%llu posts added\n", (unsigned long long)summary.added);
    trouve_index_close(index);

    /* Search it: the five best French passages. */
    status = trouve_index_open(argv[1], TROUVE_OPEN_READ, &index, &message);
    if (status != TROUVE_STATUS_OK) {
        fprintf(stderr, "search_folder: %s\n",
                message ? message : trouve_status_to_string(status));
        free(message);
        return 2;
    }
    trouve_search_options_t options;
    trouve_search_options_init(&options);
    options.limit = 5;
    options.lang = TROUVE_LANG_FR;
    trouve_results_t *results;
    status = trouve_search(index, argv[3], &options, &results);
    if (status != TROUVE_STATUS_OK) {
        fprintf(stderr, "search_folder: %s\n", trouve_index_message(index));
        trouve_index_close(index);
        return 2;
    }
    for (size_t i = 0; i < trouve_results_count(results); i++) {
        const trouve_hit_t *hit = trouve_results_hit(results, i);
        printf("%s:%u %s %.2f\n    %s\n", trouve_hit_path(hit),
               trouve_hit_line(hit),
               trouve_lang_to_string(trouve_hit_lang(hit)),
               trouve_hit_score(hit), trouve_hit_snippet(hit, NULL));
    }
    size_t found = trouve_results_count(results);
    trouve_results_free(results);
    trouve_index_close(index);
    return found ? 0 : 1;
}
