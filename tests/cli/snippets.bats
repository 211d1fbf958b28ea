#!/usr/bin/env bats
# What a search shows of a passage, end to end: the snippet and the words
# highlighted in it, for what the query says beyond single words
# (exclusions, phrases), that each hit has a word to highlight, and the
# two fragments of a long passage whose words are far apart.  The posts
# are made here, each passage small enough to be its own snippet but the
# last one.

load helper

setup_file() {
    export TROUVE_INDEX=$BATS_FILE_TMPDIR/index
    posts=$BATS_FILE_TMPDIR/posts
    mkdir -p "$posts"
    printf 'Le vélo en hiver\n\nRouler à vélo en hiver demande de bons pneus.\n\nLes routes gelées sont glissantes.\n' \
        > "$posts/velo.txt"
    printf 'Dossiers\n\nCréez un sous-répertoire dans le répertoire courant, sous le toit.\n' \
        > "$posts/sous.txt"
    printf 'Traps\n\nWhen a process gets a signal, the kernel stops what it was doing, saves its registers on the stack, looks up the disposition set for that number, and, unless it is ignored or left to the default action, which may be to terminate or to dump core, jumps to the handler the program installed.\n' \
        > "$posts/traps.txt"
    "$TROUVE" index -q "$posts"
}

@test "an excluded word is never highlighted, under an OR too" {
    # the post matches through vélo; hiver is excluded in the other branch
    run "$TROUVE" search --json -- 'vélo OR (gants -hiver)'
    [ "$status" -eq 0 ]
    [ "$(first_hit | highlighted)" = vélo ]
    # a word excluded by a phrase is still highlighted where it is asked
    # for on its own, whatever comes first in the query
    run "$TROUVE" search --json -- '-"hiver froid" hiver'
    [ "$status" -eq 0 ]
    [ "$(first_hit | highlighted)" = hiver ]
}

@test "a passage is never a hit through an excluded word alone" {
    # glissantes shares its first letters with glissade, which the ranker
    # takes as weak evidence for a word asked for
    for q in 'vélo -glissade' 'vélo -(glissade)' 'vélo OR (gants -glissade)'; do
        run "$TROUVE" search --json -- "$q"
        [ "$status" -eq 0 ]
        [ "$(printf '%s\n' "$output" | jq -s '[.[] | select(.type == "hit")] | length')" -eq 1 ]
        [ "$(first_hit | highlighted)" = vélo ]
    done
}

# The snippet line of the first hit, highlights between [ and ].
first_snippet() {
    "$TROUVE" search -n 1 --highlight '[' ']' -- "$@" | sed -n 2p
}

@test "a phrase's words are highlighted where the phrase is, not elsewhere" {
    [ "$(first_snippet sous-répertoire)" = \
      "    Dossiers Créez un [sous]-[répertoire] dans le répertoire courant, sous le toit." ]
    [ "$(first_snippet '"le répertoire"')" = \
      "    Dossiers Créez un sous-répertoire dans [le] [répertoire] courant, sous le toit." ]
    # a word asked for on its own is highlighted everywhere, before or
    # after the phrase that has it
    [ "$(first_snippet sous-répertoire sous)" = \
      "    Dossiers Créez un [sous]-[répertoire] dans le répertoire courant, [sous] le toit." ]
    [ "$(first_snippet sous sous-répertoire)" = \
      "    Dossiers Créez un [sous]-[répertoire] dans le répertoire courant, [sous] le toit." ]
}

@test "words far apart in a long passage: two fragments, each highlighted" {
    short_snippet() {
        "$TROUVE" search -n 1 --snippet-words 10 --highlight '[' ']' -- "$@" |
            sed -n 2p
    }
    [ "$(short_snippet signal handler)" = \
      "    …gets a [signal], the kernel … to the [handler] the program…" ]
    # one window holds both: one fragment, as before
    [ "$(short_snippet process signal)" = \
      "    Traps When a [process] gets a [signal], the kernel stops…" ]
}
