"""Does the schedule teach? Simulated students with a known memory, and the schedulers they are taught by.

``memory`` is the students' true forgetting model; ``schedulers`` holds SM-2
and fixed intervals behind the app's scheduling interface, swapped in for a
run only. The benchmark itself is :mod:`benchmarks.schedule_teaching`.
"""
