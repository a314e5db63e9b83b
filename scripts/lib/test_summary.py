#!/usr/bin/env python3
"""test_summary.py: what one `swift test` pass did, from its output (Swift Testing).

    test_summary.py BROKER STATUS < pass.log      one line: the broker, counts, skips
    test_summary.py --total A.log B.log ...        one closing line over every pass:
                                                   "Total: N passed, N failed, N skipped"

Counts are per test function (a parameterized test counts once), as Swift Testing
reports them; a skipped suite counts once, with its reason.
"""
import re
import sys

PASSED = re.compile(r'^\S+ Test .* passed after ')
FAILED = re.compile(r'^\S+ Test .* failed after ')
SKIPPED = re.compile(r'^\S+ Test (.*) skipped(?:: (.*))?$')
RUN_LINE = re.compile(r'^\S+ Test run with ')


def count(lines):
    passed = failed = 0
    skipped = []
    for line in lines:
        line = line.rstrip('\n')
        if RUN_LINE.match(line):
            continue
        if PASSED.match(line):
            passed += 1
        elif FAILED.match(line):
            failed += 1
        else:
            match = SKIPPED.match(line)
            if match:
                skipped.append((match.group(1), match.group(2) or ''))
    return passed, failed, skipped


def main():
    if len(sys.argv) >= 2 and sys.argv[1] == '--total':
        totals = [0, 0, 0]
        for path in sys.argv[2:]:
            with open(path, errors='replace') as handle:
                passed, failed, skipped = count(handle)
            totals[0] += passed
            totals[1] += failed
            totals[2] += len(skipped)
        print(f'Total: {totals[0]} passed, {totals[1]} failed, {totals[2]} skipped')
        return
    broker, status = sys.argv[1], sys.argv[2]
    passed, failed, skipped = count(sys.stdin)
    outcome = 'ok' if status == '0' else f'FAILED (exit {status})'
    print(f'{broker}: {passed} passed, {failed} failed, {len(skipped)} skipped: {outcome}')
    for name, reason in skipped:
        print(f'      skipped {name}: {reason}')


if __name__ == '__main__':
    main()
