"""Search keys for names: pinyin and initials, surnames read as surnames, Latin text folded."""

from __future__ import annotations

import subprocess
import sys

import pytest

from kamdesk.domain.names import fold, has_han, search_keys


def test_a_company_name_gets_full_pinyin_and_initials():
    assert search_keys("中国移动") == ("zhongguoyidong", "zgyd")
    assert search_keys("  中国移动  ") == ("zhongguoyidong", "zgyd")


@pytest.mark.parametrize(
    ("name", "as_person", "as_word"),
    [
        ("单雄信", ("shanxiongxin", "sxx"), ("danxiongxin", "dxx")),
        ("曾国藩", ("zengguofan", "zgf"), ("cengguofan", "cgf")),
        ("解缙", ("xiejin", "xj"), ("jiejin", "jj")),
        ("仇英", ("qiuying", "qy"), ("chouying", "cy")),
        ("区寄", ("ouji", "oj"), ("quji", "qj")),
        ("朴槿惠", ("piaojinhui", "pjh"), ("pujinhui", "pjh")),
        ("尉健行", ("weijianxing", "wjx"), None),  # 尉 alone is Wèi; only 尉迟 is Yùchí
    ],
)
def test_a_persons_surname_is_read_as_a_surname(name: str, as_person: tuple[str, str], as_word: tuple[str, str] | None):
    assert search_keys(name, person=True) == as_person
    if as_word is not None:
        # The same characters in a company or place name keep their everyday reading.
        assert search_keys(name) == as_word


@pytest.mark.parametrize(
    ("name", "keys"),
    [
        ("尉迟恭", ("yuchigong", "ycg")),
        ("万俟卨", ("moqixie", "mqx")),
        ("长孙无忌", ("zhangsunwuji", "zswj")),
    ],
)
def test_compound_surnames_give_one_initial_per_character(name: str, keys: tuple[str, str]):
    assert search_keys(name, person=True) == keys


def test_only_the_surname_position_gets_the_surname_reading():
    assert search_keys("王单", person=True) == ("wangdan", "wd")
    assert search_keys("单", person=True) == ("shan", "s")


@pytest.mark.parametrize(
    ("name", "keys"),
    [
        ("Müller GmbH", ("mullergmbh", "mg")),
        ("José García", ("josegarcia", "jg")),
        ("Ångström AB", ("angstromab", "aa")),
        ("  IBM   China ", ("ibmchina", "ic")),
        ("O'Brien & Co.", ("obrienco", "obc")),
        ("Ｈｕａｗｅｉ", ("huawei", "h")),  # full-width letters, as typed by a Chinese input method
    ],
)
def test_latin_names_are_folded(name: str, keys: tuple[str, str]):
    assert search_keys(name) == keys
    assert search_keys(name, person=True) == keys


def test_mixed_names_keep_their_latin_part():
    assert search_keys("IBM中国") == ("ibmzhongguo", "izg")


def test_punctuation_between_han_characters_is_dropped():
    assert search_keys("阿沛·阿旺晋美", person=True) == ("apeiawangjinmei", "apawjm")


def test_u_umlaut_pinyin_is_typed_as_v():
    assert search_keys("吕布", person=True) == ("lvbu", "lb")


def test_fold_and_has_han():
    assert fold("Crème Brûlée-42") == "cremebrulee42"
    assert has_han("IBM中国") and not has_han("IBM China")
    assert search_keys("") == ("", "")


def test_preload_loads_the_pinyin_dictionaries_so_the_first_name_read_loads_nothing():
    """In a fresh interpreter: nothing of pypinyin before, all of it after preload, and the first name read
    then imports no module (it would hold the interpreter while a worker saves a card)."""
    script = (
        "import sys\n"
        "from kamdesk.domain import names\n"
        "assert not any(m.startswith('pypinyin') for m in sys.modules)\n"
        "names.preload()\n"
        "before = set(sys.modules)\n"
        "assert names.search_keys('欧阳娜娜', person=True) == ('ouyangnana', 'oynn')\n"
        "assert set(sys.modules) == before, set(sys.modules) - before\n"
    )
    subprocess.run([sys.executable, "-c", script], check=True, timeout=60)
