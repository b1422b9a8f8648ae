"""Subject identifiers for rbl test data: generation and validation.

- USCC (统一社会信用代码, GB 32100-2015): 18 characters from 0-9A-HJ-NPQRTUWXY (valued 0-30),
  weights 3^i mod 31, check value (31 - sum mod 31) mod 31. Characters 3-8 are the 6-digit
  administrative division code, characters 9-17 the organisation code (GB 11714, its own check
  character in position 17 - generated right here for realism, not required by rbl).
- Resident ID (居民身份证号码, GB 11643-1999, ISO 7064 MOD 11-2): 6-digit region, 8-digit birth
  date, 3-digit sequence (odd: male, even: female), check (12 - sum mod 11) mod 11, 10 -> 'X'.

Used by bench/gen_records.py and to write every identifier in samples/. Run it to self-test:
    python3 bench/rbl_ids.py [ID ...]
"""

from __future__ import annotations

import datetime as _dt
import random

USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_USCC_VALUE = {c: i for i, c in enumerate(USCC_ALPHABET)}
USCC_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
RESIDENT_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
# GB 11714 organisation code: 8 body characters (digits or capitals, A=10 .. Z=35), weights below,
# check 11 - (sum mod 11): 10 -> 'X', 11 -> '0'.
_ORG_WEIGHTS = (3, 7, 9, 10, 5, 8, 4, 2)

# Registering authority + organisation type (first two USCC characters).
PREFIX_ENTERPRISE = "91"       # market regulation: enterprise
PREFIX_SOLE_TRADER = "92"      # market regulation: individual business (个体工商户)
PREFIX_GOVERNMENT = "11"       # organ staffing: government organ (机关)
PREFIX_INSTITUTION = "12"      # organ staffing: public institution (事业单位)
PREFIX_SOCIAL_ORG = "51"       # civil affairs: social organisation (社会团体)

VALID_EXAMPLES = (  # from DOMAIN.md
    "91110000600037341L",
    "121200004013590816",
    "91310115MA1K3BTP2B",
    "9144030071526726XG",
    "11010519491231002X",
    "44011320141005001X",
    "360426199101010071",
)


# ---------------------------------------------------------------------------------------------
# USCC

def uscc_check_char(first17: str) -> str:
    """The USCC check character for the first 17 characters. Raises ValueError on a bad char."""
    if len(first17) != 17:
        raise ValueError(f"need 17 characters, got {len(first17)}")
    total = 0
    for ch, w in zip(first17, USCC_WEIGHTS):
        v = _USCC_VALUE.get(ch)
        if v is None:
            raise ValueError(f"character {ch!r} is not allowed in a USCC")
        total += v * w
    return USCC_ALPHABET[(31 - total % 31) % 31]


def org_code_check_char(body8: str) -> str:
    """The GB 11714 organisation-code check character for an 8-character body."""
    total = 0
    for ch, w in zip(body8, _ORG_WEIGHTS):
        v = int(ch) if ch.isdigit() else ord(ch) - ord("A") + 10
        total += v * w
    c = 11 - total % 11
    return "X" if c == 10 else "0" if c == 11 else str(c)


def make_uscc(region: str, prefix: str = PREFIX_ENTERPRISE, org_body: str | None = None,
              rng: random.Random | None = None) -> str:
    """A valid USCC for a 6-digit region code. `org_body`: the 8-character organisation-code
    body; random (new-style "MA..." for enterprises, digits for organs) when not given. When the
    organisation-code check character would be 'X' (not in the USCC alphabet) another body is
    drawn; a given body with that problem raises ValueError."""
    if len(region) != 6 or not region.isdigit():
        raise ValueError(f"region must be 6 digits, got {region!r}")
    rng = rng or random
    while True:
        body = org_body if org_body is not None else _random_org_body(prefix, rng)
        oc = org_code_check_char(body)
        if oc not in USCC_ALPHABET:
            if org_body is not None:
                raise ValueError(f"organisation code {body} has check 'X'; pick another body")
            continue
        first17 = prefix + region + body + oc
        uscc = first17 + uscc_check_char(first17)
        # An all-digit code whose characters 7-14 happen to form a real date would be read as a
        # resident ID by rbl (ids::classify); never generate such ambiguous codes.
        if validate(uscc)[0] == "uscc":
            return uscc
        if org_body is not None:
            raise ValueError(f"{uscc} would be read as a resident ID; pick another body")


_BODY_CHARS = "0123456789ABCDEFGHJKLMNPQRTUWXY"


def _random_org_body(prefix: str, rng: random.Random) -> str:
    if prefix.startswith("9"):
        # Codes issued since 2015 look like MA1K3BTP: "MA" then 6 characters.
        return "MA" + "".join(rng.choice(_BODY_CHARS) for _ in range(6))
    # Organs and institutions keep their old all-digit organisation codes.
    return "".join(rng.choice("0123456789") for _ in range(8))


def uscc_region(uscc: str) -> str:
    """Characters 3-8: the administrative division code."""
    return uscc[2:8]


# ---------------------------------------------------------------------------------------------
# Resident ID

def resident_check_char(first17: str) -> str:
    """The resident-ID check character ('0'-'9' or 'X') for 17 digits."""
    if len(first17) != 17 or not first17.isdigit():
        raise ValueError("need 17 digits")
    total = sum(int(c) * w for c, w in zip(first17, RESIDENT_WEIGHTS))
    c = (12 - total % 11) % 11
    return "X" if c == 10 else str(c)


def make_resident_id(region: str, birth: _dt.date, seq: int) -> str:
    """A valid resident ID: region (6 digits), birth date, sequence 0-999 (odd = male)."""
    if len(region) != 6 or not region.isdigit():
        raise ValueError(f"region must be 6 digits, got {region!r}")
    first17 = f"{region}{birth:%Y%m%d}{seq % 1000:03d}"
    return first17 + resident_check_char(first17)


def random_resident_id(region: str, rng: random.Random, born_from: int = 1955,
                       born_to: int = 2000, male: bool | None = None) -> str:
    """A valid resident ID with a random birth date in [born_from, born_to]."""
    start = _dt.date(born_from, 1, 1).toordinal()
    end = _dt.date(born_to, 12, 31).toordinal()
    birth = _dt.date.fromordinal(rng.randint(start, end))
    seq = rng.randrange(1000)
    if male is not None and (seq % 2 == 1) != male:
        seq = (seq + 1) % 1000
    return make_resident_id(region, birth, seq)


# ---------------------------------------------------------------------------------------------
# Validation (the same rules rbl-import applies)

def validate(raw: str, today: _dt.date | None = None) -> tuple[str | None, str]:
    """Validates an identifier as rbl-import does after trimming and upper-casing.
    Returns (kind, "") with kind "resident" or "uscc", or (None, reason)."""
    s = raw.strip().upper()
    today = today or _dt.date.today()
    if len(s) != 18:
        return None, f"must be 18 characters, got {len(s)}"
    if s[:17].isdigit() and (s[17].isdigit() or s[17] == "X"):
        try:
            birth = _dt.date(int(s[6:10]), int(s[10:12]), int(s[12:14]))
        except ValueError:
            birth = None
        if birth is not None:
            if birth > today:
                return None, f"birth date {birth} lies in the future"
            want = resident_check_char(s[:17])
            if s[17] != want:
                return None, f"check character is '{s[17]}', expected '{want}'"
            return "resident", ""
    for i, ch in enumerate(s):
        if ch not in _USCC_VALUE:
            return None, f"character {i + 1} '{ch}' is not allowed in a unified social credit code"
    want = uscc_check_char(s[:17])
    if s[17] != want:
        return None, f"check character is '{s[17]}', expected '{want}'"
    return "uscc", ""


def is_valid(raw: str, today: _dt.date | None = None) -> bool:
    return validate(raw, today)[0] is not None


def subject_type_of(raw: str) -> str | None:
    """legal_person / natural_person / government, as rbl derives it; None when invalid."""
    kind, _ = validate(raw)
    if kind is None:
        return None
    if kind == "resident":
        return "natural_person"
    return "government" if raw.strip().upper().startswith("11") else "legal_person"


def region_of(raw: str) -> str:
    s = raw.strip().upper()
    kind, _ = validate(s)
    return s[:6] if kind == "resident" else s[2:8]


def _self_test() -> None:
    for ex in VALID_EXAMPLES:
        kind, why = validate(ex)
        assert kind is not None, (ex, why)
        body = ex[:17]
        want = resident_check_char(body) if kind == "resident" else uscc_check_char(body)
        assert want == ex[17], ex
    # organisation-code checks inside the USCC examples
    assert org_code_check_char("60003734") == "1"
    assert org_code_check_char("MA1K3BTP") == "2"
    assert org_code_check_char("40135908") == "1"
    rng = random.Random(1)
    for _ in range(1000):
        u = make_uscc("320106", rng=rng)
        assert validate(u)[0] == "uscc" and uscc_region(u) == "320106"
        g = make_uscc("320100", PREFIX_GOVERNMENT, rng=rng)
        assert subject_type_of(g) == "government"
        r = random_resident_id("320102", rng)
        assert validate(r)[0] == "resident"
    assert validate("91110000600037341M")[0] is None
    assert validate("11010519491231002Y")[0] is None
    assert validate("360426199101010072")[1] == "check character is '2', expected '1'"


if __name__ == "__main__":
    import sys

    _self_test()
    for arg in sys.argv[1:]:
        kind, why = validate(arg)
        print(f"{arg}\t{kind or 'INVALID'}\t{why}")
    if len(sys.argv) == 1:
        print("rbl_ids: self-test passed (DOMAIN.md examples valid, 3000 generated ids valid)")
