"""The storefront's stylesheet is built from the shop's SCSS (make css) and served in place of Oscar's."""

import re

from shop.branding.assets import CSS, css_sources_digest


def test_the_committed_css_was_built_from_the_current_scss_and_npm_lock():
    first_line = CSS.read_text(encoding="utf-8").split("\n", 1)[0]
    built_from = re.search(r"built from sources (\w+)", first_line)
    assert built_from, first_line
    assert built_from.group(1) == css_sources_digest(), "assets/ changed since shop.css was built: run make css"


def test_the_css_carries_the_shop_palette_and_oscar_font_awesome_fonts():
    css = CSS.read_text(encoding="utf-8")
    assert css.startswith('@charset "UTF-8";')
    assert "--primary: #0b5d75" in css, "Bootstrap's variables with the shop's palette"
    assert "../../oscar/webfonts/fa-solid-900.woff2" in css, "Font Awesome's fonts, as Oscar ships them"
