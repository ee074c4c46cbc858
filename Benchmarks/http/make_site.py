"""Writes synthetic site folders for the HTTP load benchmark: SITES compounds
(bench0, bench1, …) sharing N residents in households of three, with valid
(made-up) ID numbers, so that every check-in in a long run is a new, durable
write. Resident B%08d of index i lives at site bench{i % SITES}: a district's
load arrives at many gates at once, and no gate has a whole city waiting.

    python3 Benchmarks/http/make_site.py OUT_FOLDER RESIDENTS [SITES]
"""
import datetime
import os
import sys

WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
CHECK = "10X98765432"


def id_number(index: int) -> str:
    """A valid, unique 18-digit ID number: the birth date walks forward a day every 1,000 residents."""
    born = datetime.date(1950, 1, 1) + datetime.timedelta(days=index // 1000)
    body = f"310104{born:%Y%m%d}{index % 1000:03d}"
    return body + CHECK[sum(int(d) * w for d, w in zip(body, WEIGHTS)) % 11]


def main() -> None:
    out, residents = sys.argv[1], int(sys.argv[2])
    sites = int(sys.argv[3]) if len(sys.argv) > 3 else 1
    rosters = []
    for s in range(sites):
        site = os.path.join(out, f"bench{s}")
        os.makedirs(site, exist_ok=True)
        with open(os.path.join(site, "site.toml"), "w", encoding="utf-8") as f:
            f.write(f'id = "bench{s}"\nname = "压测小区{s}"\naddress = "loopback"\ntime_zone = "Asia/Shanghai"\n'
                    'zone = "precaution"\npool_mode = "pooled10"\nlab = "lab-bench"\nopens = "07:00"\ncloses = "19:00"\n\n'
                    '[[stations]]\nid = "s1"\nname = "1"\n')
        f = open(os.path.join(site, "roster.csv"), "w", encoding="utf-8")
        f.write("resident_code,name,id_number,phone,building,unit,room,household,priority,single_tube\n")
        rosters.append(f)
    for i in range(residents):
        household = i // (3 * sites)
        building, room = household // 1000, household % 1000
        rosters[i % sites].write(
            f"B{i:08d},居民{i},{id_number(i)},138{i % 100000000:08d},{building},1,{room},{building}-1-{room},0,0\n")
    for f in rosters:
        f.close()


if __name__ == "__main__":
    main()
