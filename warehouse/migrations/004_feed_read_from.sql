-- A feed URL that is a web page is read through the first feed it links to
-- (<link rel="alternate" type="application/rss+xml">): read_from names that feed, NULL when the URL
-- is a feed itself. A failed poll leaves it as the last successful poll set it.
ALTER TABLE feed_status ADD COLUMN read_from VARCHAR;
