# trouve.bash - bash completion for trouve(1).
#
# Installed as <datadir>/bash-completion/completions/trouve, where
# bash-completion loads it on first use; or source it from ~/.bashrc.
# It needs nothing from bash-completion itself.  Completes the commands,
# each command's options, the values of --lang and --color, folders for
# --index, and files and folders for `index` paths.
# File names are read one a line (mapfile), so spaces in them survive.
# tests/cli/install.bats sources it and checks COMPREPLY.

_trouve()
{
    local cur=${COMP_WORDS[COMP_CWORD]}
    local prev=
    ((COMP_CWORD > 0)) && prev=${COMP_WORDS[COMP_CWORD - 1]}
    COMPREPLY=()

    if ((COMP_CWORD == 1)); then
        COMPREPLY=($(compgen -W 'index search analyze stats compact --help
            --version' -- "$cur"))
        return
    fi

    case $prev in
    --lang)
        COMPREPLY=($(compgen -W 'en fr' -- "$cur"))
        return ;;
    --color | --colour)
        COMPREPLY=($(compgen -W 'auto always never' -- "$cur"))
        return ;;
    --index)
        compopt -o filenames 2>/dev/null || :
        mapfile -t COMPREPLY < <(compgen -d -- "$cur")
        return ;;
    -n | --limit | --offset | --per-post | --snippet-words | -j | --jobs | \
        --wait | --highlight)
        return ;; # a number or a mark: nothing to offer
    esac

    local opts
    case ${COMP_WORDS[1]} in
    index)
        opts='--jobs --force --follow --wait --json --verbose --quiet
            --index --help' ;;
    search)
        opts='--limit --offset --lang --any --per-post --snippet-words
            --json --files-with-matches --count --null --quiet --fresh
            --no-suggest --color --highlight --explain --index --help' ;;
    analyze)
        opts='--json --help' ;;
    stats)
        opts='--json --index --help' ;;
    compact)
        opts='--quiet --index --help' ;;
    *)
        return ;;
    esac

    # After "--", only arguments.
    local i
    for ((i = 2; i < COMP_CWORD; i++)); do
        [[ ${COMP_WORDS[i]} == -- ]] && opts= && break
    done

    if [[ $cur == -* && -n $opts ]]; then
        COMPREPLY=($(compgen -W "$opts" -- "$cur"))
    elif [[ ${COMP_WORDS[1]} == index ]]; then
        compopt -o filenames 2>/dev/null || :
        mapfile -t COMPREPLY < <(compgen -f -- "$cur")
    fi
}
complete -F _trouve trouve
