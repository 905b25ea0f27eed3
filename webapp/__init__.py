"""The web app as a package of tabs: page (layout), state, render (pure HTML), one module per tab, api."""
