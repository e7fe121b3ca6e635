# SPDX-License-Identifier: GPL-2.0
# bash completion for wqctl(8).  Installed as
# $PREFIX/share/bash-completion/completions/wqctl; works without the
# bash-completion package too ("source" it).  The tables below must list
# every command and option of "wqctl --help": tools/wqctl/tests/
# cli_docs_test.sh checks that they do.

# Commands below each command, named by its words from wqctl on.
declare -gA _wqctl_subcommands=(
	[wqctl]="status config queue load flush drain unplug stats monitor top"
	["wqctl config"]="get set"
	["wqctl queue"]="add set del list"
	["wqctl stats"]="reset"
)
# Options of each command that take no value, then those that take one.
declare -gA _wqctl_flags=(
	[wqctl]="-h --help -j --json -p --pretty -V --version"
	["wqctl queue add"]="--rescuer --highpri --steal --no-yield"
	["wqctl drain"]="--plug"
)
declare -gA _wqctl_valued=(
	["wqctl queue add"]="--max-active --capacity --rate --burst --max-wait-ms --work-timeout-ms --cpus"
	["wqctl queue set"]="--capacity --rate --burst --max-wait-ms --work-timeout-ms"
	["wqctl load"]="--count --cpu --spin-us --sleep-ms --delay-ms"
	["wqctl stats"]="--cpu --queue"
	["wqctl monitor"]="--count --timeout"
	["wqctl top"]="--interval --iterations"
)
# What the positional arguments of a command are: an existing queue's
# name, or KEY=VALUE settings.
declare -gA _wqctl_positional=(
	["wqctl queue set"]=queue ["wqctl queue del"]=queue ["wqctl load"]=queue ["wqctl flush"]=queue
	["wqctl drain"]=queue ["wqctl unplug"]=queue ["wqctl config set"]=setting
)
_wqctl_config_keys="watchdog_thresh panic_on_stall panic_on_stall_time rescuer_mode rescuer_batch mayday_timeout_ms worker_idle_secs inject_worker_fail"

# The names of the module's queues, when it is loaded (reading is open to
# every user).
_wqctl_queue_names() {
	command wqctl -j queue list 2>/dev/null |
		grep -o '"name":"[^"]*"' | cut -d'"' -f4
}

_wqctl() {
	local cur=${COMP_WORDS[COMP_CWORD]} prev=${COMP_WORDS[COMP_CWORD - 1]}
	local path=wqctl i w
	# The command words so far, skipping options and their values.
	for ((i = 1; i < COMP_CWORD; i++)); do
		w=${COMP_WORDS[i]}
		case $w in
		-*)
			[[ " ${_wqctl_valued[$path]-} " == *" $w "* ]] && ((i++))
			continue ;;
		esac
		if [[ " ${_wqctl_subcommands[$path]-} " == *" $w "* ]]; then
			path="$path $w"
		fi
	done

	COMPREPLY=()
	# The value of an option.
	if [[ " ${_wqctl_valued[$path]-} " == *" $prev "* ]]; then
		case $prev in
		--queue)
			mapfile -t COMPREPLY < <(compgen -W "$(_wqctl_queue_names)" -- "$cur") ;;
		--cpu)
			mapfile -t COMPREPLY < <(compgen -W "$(seq 0 $(($(nproc --all 2>/dev/null || echo 1) - 1)))" -- "$cur") ;;
		esac
		return 0
	fi
	if [[ $cur == -* ]]; then
		local opts=${_wqctl_flags[wqctl]-}
		[ "$path" = wqctl ] || opts="$opts ${_wqctl_flags[$path]-} ${_wqctl_valued[$path]-}"
		mapfile -t COMPREPLY < <(compgen -W "$opts" -- "$cur")
		return 0
	fi
	if [ -n "${_wqctl_subcommands[$path]-}" ]; then
		mapfile -t COMPREPLY < <(compgen -W "${_wqctl_subcommands[$path]-}" -- "$cur")
		return 0
	fi
	case ${_wqctl_positional[$path]-} in
	queue)
		mapfile -t COMPREPLY < <(compgen -W "$(_wqctl_queue_names)" -- "$cur") ;;
	setting)
		# KEY=VALUE: bash splits words at "=" (COMP_WORDBREAKS), so
		# the value may be a word of its own after "=".
		local key= value=
		if [ "$cur" = = ]; then
			key=$prev
		elif [ "$prev" = = ] && ((COMP_CWORD >= 3)); then
			key=${COMP_WORDS[COMP_CWORD - 2]} value=$cur
		elif [[ $cur == *=* ]]; then
			key=${cur%%=*} value=${cur#*=}
		fi
		if [ -z "$key" ]; then
			mapfile -t COMPREPLY < <(compgen -S = -W "$_wqctl_config_keys" -- "$cur")
			compopt -o nospace 2>/dev/null
		elif [ "$key" = rescuer_mode ]; then
			mapfile -t COMPREPLY < <(compgen -W "one batch" -- "$value")
			# Replacing the whole word when it holds the "=".
			[[ $cur == *=* && $cur != = ]] &&
				COMPREPLY=("${COMPREPLY[@]/#/$key=}")
		fi ;;
	esac
	return 0
}
complete -F _wqctl wqctl
