"""The GraphiQL page served for a browser's GET of ``/graphql``.

Its scripts come from a CDN when the browser can reach one; the API itself needs none.
"""

from __future__ import annotations

__all__ = ["graphiql_page"]

_PAGE = """<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <title>headwater GraphiQL</title>
  <link rel="stylesheet" href="https://unpkg.com/graphiql@3/graphiql.min.css">
  <style>body {{ margin: 0; height: 100vh; }} #graphiql {{ height: 100vh; }}</style>
</head>
<body>
  <div id="graphiql">Loading GraphiQL… (POST queries to {endpoint} work without it.)</div>
  <script src="https://unpkg.com/react@18/umd/react.production.min.js"></script>
  <script src="https://unpkg.com/react-dom@18/umd/react-dom.production.min.js"></script>
  <script src="https://unpkg.com/graphiql@3/graphiql.min.js"></script>
  <script>
    const fetcher = GraphiQL.createFetcher({{ url: "{endpoint}" }});
    ReactDOM.createRoot(document.getElementById("graphiql")).render(
      React.createElement(GraphiQL, {{ fetcher }}));
  </script>
</body>
</html>
"""


def graphiql_page(endpoint: str) -> str:
    """The page, posting its queries to ``endpoint``."""
    return _PAGE.format(endpoint=endpoint)
