"""Placeholder until this session fills it in."""

from fastapi import APIRouter

router = APIRouter()
