"""What every view needs of the web: the client's address, throttles and their 429 page, links that leave the site."""
