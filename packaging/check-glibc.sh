#!/bin/bash
# Fails if an ELF file under DIR needs a glibc symbol version newer than MAX (objdump -T).
#   packaging/check-glibc.sh MAX DIR
set -euo pipefail
export LC_ALL=C
max=${1:?usage: check-glibc.sh MAX DIR}
dir=${2:?usage: check-glibc.sh MAX DIR}
newest() { sort -t. -k1,1n -k2,2n -k3,3n | tail -n 1; }
floor=0 bad=0 count=0
while IFS= read -r -d '' file; do
  [ "$(head -c 4 "$file" | od -An -tx1 | tr -d ' ')" = 7f454c46 ] || continue
  count=$((count + 1))
  need=$(objdump -T "$file" | grep -o 'GLIBC_[0-9][0-9.]*' | sed 's/GLIBC_//' | sort -u | newest || true)
  [ -n "$need" ] || continue
  floor=$(printf '%s\n%s\n' "$floor" "$need" | newest)
  if [ "$(printf '%s\n%s\n' "$max" "$need" | newest)" != "$max" ]; then
    echo "check-glibc: ${file#"$dir"/} needs GLIBC_$need, newer than $max" >&2
    bad=1
  fi
done < <(find "$dir" -type f -print0)
[ "$count" -gt 0 ] || { echo "check-glibc: no ELF file under $dir" >&2; exit 1; }
echo "check-glibc: $count ELF files; the newest glibc any of them needs is $floor (limit $max)"
exit "$bad"
