/*
 * fold_table.h - the generated Unicode tables behind fold.c and token.c.
 *
 * Private to src/analysis.  The data lives in fold_table.c, printed by
 * gen_fold_table.py (`make fold-table`); the rules it applies are described
 * at the top of that script.
 *
 * Layout: a three-stage lookup from a code point to a record,
 *
 *   mid    = fold_top[cp >> (FOLD_LEAF_SHIFT + FOLD_MID_SHIFT)]
 *   leaf   = fold_mid[mid << FOLD_MID_SHIFT | (cp >> FOLD_LEAF_SHIFT) & ...]
 *   record = fold_leaf[leaf << FOLD_LEAF_SHIFT | cp & ...]
 *
 * where middle and leaf blocks are deduplicated (most of the code space is
 * a few repeated blocks).  A record gives the class of the code point, a
 * "numeric" flag, and its folded and lowercase forms as (offset, length)
 * in fold_pool; the length FOLD_SELF means the code point's own UTF-8.
 */
#ifndef TROUVE_FOLD_TABLE_H
#define TROUVE_FOLD_TABLE_H

#include <stddef.h>
#include <stdint.h>
#include "fold.h"

/* Block sizes; gen_fold_table.py uses the same (LEAF_SHIFT, MID_SHIFT). */
#define FOLD_LEAF_SHIFT 4     /* 16 code points per leaf block */
#define FOLD_MID_SHIFT 6      /* 64 leaf blocks per middle block */

#define FOLD_SELF 0xFF        /* length: the code point's own UTF-8 */
#define FOLD_CLASS_MASK 0x07  /* flags: the char_class_t */
#define FOLD_NUMERIC 0x08     /* flags: a digit (Nd, or folds to 0-9) */

typedef struct fold_record {
    uint8_t flags;     /* char_class_t | FOLD_NUMERIC */
    uint8_t fold_len;  /* bytes of the folded form, or FOLD_SELF */
    uint8_t lower_len; /* bytes of the lowercase form, or FOLD_SELF */
    uint16_t fold;     /* offset of the folded form in fold_pool */
    uint16_t lower;    /* offset of the lowercase form in fold_pool */
} fold_record_t;

/* A lowercase canonical composition: base + mark -> composed. */
typedef struct fold_composition {
    uint32_t base, mark, composed;
} fold_composition_t;

extern const uint8_t fold_top[0x110000 >> (FOLD_LEAF_SHIFT + FOLD_MID_SHIFT)];
extern const uint16_t fold_mid[];
extern const uint16_t fold_leaf[];
extern const fold_record_t fold_records[];
extern const unsigned char fold_pool[]; /* UTF-8 forms, end to end */
/* Sorted by (base, mark). */
extern const fold_composition_t fold_compositions[];
extern const size_t fold_composition_count;

/* The record of cp, which must be <= U+10FFFF. */
static inline const fold_record_t *fold_record(uint32_t cp)
{
    unsigned mid = fold_top[cp >> (FOLD_LEAF_SHIFT + FOLD_MID_SHIFT)];
    unsigned leaf = fold_mid[(mid << FOLD_MID_SHIFT) |
                             ((cp >> FOLD_LEAF_SHIFT) &
                              ((1u << FOLD_MID_SHIFT) - 1))];
    return &fold_records[fold_leaf[(leaf << FOLD_LEAF_SHIFT) |
                                   (cp & ((1u << FOLD_LEAF_SHIFT) - 1))]];
}

/* The lowercase precomposed character for base followed by the combining
 * mark `mark` (é for e + U+0301), or 0 when there is none.  In fold.c. */
uint32_t fold_compose(uint32_t base, uint32_t mark);

#endif
