"""Working days in England: the commentary deadline skips weekends and bank holidays."""

from __future__ import annotations

import datetime as dt

import pytest

from analysis.workdays import (
    bank_holidays,
    easter_sunday,
    is_working_day,
    working_days_before,
    working_days_between,
)

D = dt.date


@pytest.mark.parametrize(
    ("year", "easter"),
    [(2015, D(2015, 4, 5)), (2016, D(2016, 3, 27)), (2018, D(2018, 4, 1)),
     (2019, D(2019, 4, 21)), (2024, D(2024, 3, 31)), (2025, D(2025, 4, 20))],
)  # fmt: skip
def test_easter_sunday(year, easter):
    assert easter_sunday(year) == easter


def test_the_bank_holidays_of_2018_as_gov_uk_lists_them():
    assert list(bank_holidays(2018)) == [
        D(2018, 1, 1), D(2018, 3, 30), D(2018, 4, 2), D(2018, 5, 7), D(2018, 5, 28),
        D(2018, 8, 27), D(2018, 12, 25), D(2018, 12, 26),
    ]  # fmt: skip


def test_christmas_and_new_year_at_a_weekend_move_to_the_next_free_weekday():
    # 2021: Christmas on a Saturday, Boxing Day on a Sunday; 1 January 2022 a Saturday
    assert bank_holidays(2021)[D(2021, 12, 27)] == "Christmas Day (substitute day)"
    assert bank_holidays(2021)[D(2021, 12, 28)] == "Boxing Day (substitute day)"
    assert bank_holidays(2022)[D(2022, 1, 3)] == "New Year's Day"
    # 2022: Christmas on a Sunday: Boxing Day keeps Monday 26, Christmas moves to Tuesday 27
    assert bank_holidays(2022)[D(2022, 12, 26)] == "Boxing Day"
    assert bank_holidays(2022)[D(2022, 12, 27)] == "Christmas Day (substitute day)"
    # 2020: Boxing Day on a Saturday moves to Monday 28
    assert D(2020, 12, 28) in bank_holidays(2020)


def test_days_moved_or_added_by_proclamation():
    assert D(2020, 5, 8) in bank_holidays(2020) and D(2020, 5, 4) not in bank_holidays(2020)
    assert {D(2022, 6, 2), D(2022, 6, 3), D(2022, 9, 19)} <= set(bank_holidays(2022))
    assert D(2022, 5, 30) not in bank_holidays(2022)
    assert D(2023, 5, 8) in bank_holidays(2023)


def test_paper_004_deadline_seven_working_days_before_the_meeting():
    """004 was for the meeting of Thursday 8 February 2018."""
    assert working_days_before(D(2018, 2, 8), 7) == D(2018, 1, 30)


def test_a_deadline_across_easter_skips_good_friday_and_easter_monday():
    # meeting Thursday 5 April 2018: back over Easter Monday 2 April and Good Friday 30 March
    assert working_days_before(D(2018, 4, 5), 7) == D(2018, 3, 23)
    assert not is_working_day(D(2018, 3, 30)) and not is_working_day(D(2018, 4, 2))


def test_a_deadline_across_christmas_skips_the_substitute_days():
    # meeting Tuesday 4 January 2022: 3 January, 28 and 27 December are bank holidays
    assert working_days_before(D(2022, 1, 4), 7) == D(2021, 12, 21)
    assert working_days_between(D(2021, 12, 21), D(2022, 1, 4)) == 7
    assert working_days_between(D(2022, 1, 4), D(2021, 12, 21)) == -7


def test_zero_working_days_is_the_day_itself():
    assert working_days_before(D(2018, 2, 8), 0) == D(2018, 2, 8)
