/*
 * test_batch.c - batch_changes_max (shard_job.h): how many postings and
 * stem pairs a shard's batch holds before it commits, as the run commits
 * more of them and with more shards.
 */
#include "unit.h"

#include "lib/shard_job.h"

static void test_changes_max(void **state)
{
    (void)state;
    static const struct {
        uint64_t committed;
        unsigned shards;
        size_t want;
    } cases[] = {
        /* a new shard, a small one: 125,000 */
        {0, 1, 125000},
        {0, 2, 125000},
        {999999, 2, 125000},
        {1000000, 2, 125000},
        /* then an eighth of what the run committed */
        {1000008, 2, 125001},
        {2000000, 2, 250000},
        {3999992, 2, 499999},
        /* up to 500,000 a shard, */
        {4000000, 2, 500000},
        {4000000, 1, 500000},
        {UINT64_C(1) << 40, 1, 500000},
        {UINT64_C(1) << 40, 2, 500000},
        /* and 1,000,000 for all the shards together */
        {UINT64_C(1) << 40, 3, 333333},
        {2000000, 3, 250000},
        {UINT64_C(1) << 40, 4, 250000},
        {UINT64_C(1) << 40, 8, 125000},
        /* but never below 125,000, however many shards */
        {UINT64_C(1) << 40, 9, 125000},
        {UINT64_C(1) << 40, 64, 125000},
        {0, 64, 125000},
        /* no shard count reads as one */
        {UINT64_C(1) << 40, 0, 500000},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        size_t got = batch_changes_max(cases[i].committed, cases[i].shards);
        if (got != cases[i].want)
            fail_msg("%llu committed, %u shards: %zu, expected %zu",
                     (unsigned long long)cases[i].committed,
                     cases[i].shards, got, cases[i].want);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_changes_max),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
