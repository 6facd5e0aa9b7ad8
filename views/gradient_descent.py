"""Placeholder."""
import streamlit as st

st.title("gradient_descent")
