"""The weather project: daily partitioned readings, checked, summarized and reported."""
