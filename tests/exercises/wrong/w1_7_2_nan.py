def standardize(train, test):
    return (train - train.mean(0)) / train.std(0), (test - train.mean(0)) / train.std(0)
