#!/usr/bin/env python

from setuptools import find_packages, setup

requirements = ["torchvision", "torch"]

setup(
    packages=find_packages(exclude=["tests"]),
    include_package_data=True,
    install_requires=requirements,
    license="MIT license",
    zip_safe=False,
    keywords="brain-score template",
    test_suite="tests",
)
