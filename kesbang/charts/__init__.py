"""Chart builders: pure functions `DataFrame -> plotly Figure`, sharing one category palette (`palette`)."""
