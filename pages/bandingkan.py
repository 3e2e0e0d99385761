"""Placeholder until its helper lands the page."""
import streamlit as st

st.title('bandingkan')
