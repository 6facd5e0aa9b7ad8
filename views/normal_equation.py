"""Placeholder."""
import streamlit as st

st.title("normal_equation")
