"""Open now, closes at, opens next: Stockholm time, holidays and daylight saving."""

import datetime as dt

from providers.hours import STOCKHOLM, Schedule, holiday_name, is_holiday

WEEKDAYS = [(d, dt.time(8), dt.time(17)) for d in range(5)]


def at(*args) -> dt.datetime:
    return dt.datetime(*args, tzinfo=STOCKHOLM)


def test_open_on_a_weekday_inside_hours_and_says_when_it_closes():
    status = Schedule(weekly=WEEKDAYS).status(at(2026, 11, 23, 9, 30))  # Monday
    assert status.is_open
    assert status.text == "Öppet nu, stänger 17.00"


def test_closing_time_itself_counts_as_closed():
    status = Schedule(weekly=WEEKDAYS).status(at(2026, 11, 23, 17, 0))
    assert not status.is_open
    assert status.text == "Stängt nu, öppnar i morgon kl. 08.00"


def test_friday_evening_points_to_monday_morning():
    status = Schedule(weekly=WEEKDAYS).status(at(2026, 11, 27, 18, 0))
    assert status.opens_at == at(2026, 11, 30, 8, 0)
    assert status.text == "Stängt nu, öppnar måndag kl. 08.00"


def test_early_morning_says_it_opens_later_today():
    status = Schedule(weekly=WEEKDAYS).status(at(2026, 11, 24, 6, 0))
    assert status.text == "Stängt nu, öppnar kl. 08.00"


def test_split_shift_and_evening_interval_on_the_same_day():
    schedule = Schedule(
        weekly=[
            (1, dt.time(8), dt.time(12)),
            (1, dt.time(13), dt.time(16)),
            (1, dt.time(17), dt.time(19)),
        ]
    )
    assert not schedule.status(at(2026, 11, 24, 12, 30)).is_open
    assert schedule.status(at(2026, 11, 24, 12, 30)).opens_at == at(2026, 11, 24, 13, 0)
    assert schedule.status(at(2026, 11, 24, 18, 0)).is_open


def test_swedish_public_and_de_facto_holidays_are_known():
    assert holiday_name(dt.date(2026, 12, 25)) == "Juldagen"
    assert holiday_name(dt.date(2026, 12, 24)) == "Julafton"
    assert holiday_name(dt.date(2026, 6, 19)) == "Midsommarafton"
    assert holiday_name(dt.date(2026, 12, 31)) == "Nyårsafton"
    assert not is_holiday(dt.date(2026, 11, 22))  # an ordinary Sunday is not a holiday


def test_ordinary_hours_close_on_a_holiday_and_reopen_after():
    # Thursday 24 December 2026 is julafton, Friday is juldagen: back on Monday 28th.
    status = Schedule(weekly=WEEKDAYS).status(at(2026, 12, 24, 10, 0))
    assert not status.is_open
    assert status.opens_at == at(2026, 12, 28, 8, 0)


def test_on_call_line_stays_open_on_holidays():
    every_day = [(d, dt.time(17), dt.time(22)) for d in range(7)]
    schedule = Schedule(weekly=every_day, open_on_holidays=True)
    assert schedule.status(at(2026, 12, 24, 20, 0)).is_open


def test_exception_closes_an_ordinary_day_and_another_opens_specially():
    schedule = Schedule(
        weekly=WEEKDAYS,
        exceptions={dt.date(2026, 11, 24): None, dt.date(2026, 11, 29): (dt.time(10), dt.time(14))},
    )
    assert not schedule.status(at(2026, 11, 24, 10, 0)).is_open
    assert schedule.status(at(2026, 11, 29, 11, 0)).is_open  # a Sunday, opened specially


def test_daylight_saving_change_keeps_wall_clock_hours():
    # Clocks go forward on Sunday 29 March 2026 and back on Sunday 25 October 2026.
    schedule = Schedule(weekly=[(d, dt.time(8), dt.time(17)) for d in range(7)])
    spring = schedule.status(dt.datetime(2026, 3, 29, 6, 30, tzinfo=dt.UTC))  # 08.30 CEST
    autumn = schedule.status(dt.datetime(2026, 10, 25, 6, 30, tzinfo=dt.UTC))  # 07.30 CET
    assert spring.is_open
    assert not autumn.is_open
    assert autumn.opens_at == at(2026, 10, 25, 8, 0)
    assert autumn.opens_at.utcoffset() == dt.timedelta(hours=1)


def test_no_hours_at_all_says_closed_without_a_next_opening():
    status = Schedule().status(at(2026, 11, 23, 9, 0))
    assert not status.is_open
    assert status.text == "Stängt nu"


def test_week_lists_seven_days_with_holiday_names():
    week = Schedule(weekly=WEEKDAYS).week(dt.date(2026, 12, 21))
    assert [d.day for d, _, _ in week] == [21, 22, 23, 24, 25, 26, 27]
    assert week[3] == (dt.date(2026, 12, 24), [], "Julafton")
    assert week[0][1] == [(dt.time(8), dt.time(17))]
