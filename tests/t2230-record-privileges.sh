#!/bin/sh
# t2230-record-privileges.sh - run with sudo, phocus-record starts
# powermetrics as root, then becomes the user who ran sudo for good, with
# all that user's groups (initgroups, as sudo does), and says so when a
# process of another user cannot be read afterwards.  Plus the name of the
# per-process energy counter: it is CPU energy, not "billed" energy.
. "$(dirname "$0")/lib.sh"

# The first user (uid > 0) that /etc/group lists as a member of a group
# other than its own, as "name uid gid"; empty if there is none.
supp_user() {
	awk -F: '$4 != "" { n = split($4, m, ","); for (i = 1; i <= n; i++) print m[i] }' \
	    /etc/group 2>/dev/null | while read -r u; do
		e=$(grep "^$u:" /etc/passwd 2>/dev/null | head -n 1) || continue
		uid=$(echo "$e" | cut -d: -f3) gid=$(echo "$e" | cut -d: -f4)
		[ -n "$uid" ] && [ "$uid" != 0 ] && { echo "$u $uid $gid"; break; }
	done
}
SUPP=$(supp_user)
[ -n "$SUPP" ] && test_set_prereq SUPP_USER
test_prereq_why SUPP_USER "no user in /etc/group is a member of another group"

# Sorted, one per line: the numbers in $1.
sorted() { echo "$1" | tr ' ' '\n' | grep . | sort -n; }

# shellcheck disable=SC2086,SC2012 # set -- $SUPP: three words; ls -n of one file: its owner
test_expect_success ROOT,SUPP_USER 'after the drop the recorder and its command have all the user'"'"'s groups' '
	set -- $SUPP && echo "user $1 uid $2 gid $3" &&
	chmod o+x "$TRASH" && mkdir -m 777 g &&
	want=$(id -G "$1") && echo "id -G $1: $want" &&
	SUDO_UID=$2 SUDO_GID=$3 "$REC" -q -i 100 -o g/x.pmtrace --no-powermetrics \
		-- id -G </dev/null >out 2>err &&
	got=$(head -n 1 out) && echo "the command: $got" &&
	test_cmp_str "$(sorted "$got")" "$(sorted "$want")" &&
	test_cmp_str "$(id -u "$1")" "$(ls -n g/x.pmtrace | awk "{ print \$3 }")"
'

test_expect_success ROOT 'a uid that no user has: only its group' '
	chmod o+x "$TRASH" && mkdir -m 777 n &&
	SUDO_UID=54321 SUDO_GID=54322 "$REC" -q -i 100 -o n/x.pmtrace --no-powermetrics \
		-- sh -c "id -u; id -G" </dev/null >out 2>err &&
	test_cmp_str "$(sed -n 1p out)" 54321 &&
	test_cmp_str "$(sed -n 2p out)" 54322
'

test_expect_success 'dump --samples names the energy column cpu_energy_nj (CPU energy, not billed)' '
	"$AN" dump "$TOP/samples/fake-editor-m1.pmtrace" --samples >s.csv &&
	grep -E "^elapsed_s,.*,gpu_ns,cpu_energy_nj(,|\$)" s.csv &&
	grep "cpu_energy_nj: CPU energy of the process, nJ (macOS recount, not billed energy)" s.csv
'

test_done
