"""Routes (see api/app.py)."""

from fastapi import APIRouter

router = APIRouter()
