SELECT count(*) AS n FROM ev
